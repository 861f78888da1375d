import { Payload } from '@nestjs/microservices';
import { Consumers, type EnvelopeOf, type OrderDispatchRequested } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { DispatchShipmentService } from './dispatch-shipment.service.js';

/** The message adapter of manual dispatch: orders.dispatch-requested, a batch at a time. */
@MessageController()
export class DispatchRequestedHandler {
  constructor(private readonly dispatchShipment: DispatchShipmentService) {}

  @EventBatchPattern(Consumers.shipmentsOnDispatchRequested)
  onDispatchRequested(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof OrderDispatchRequested>>>): Promise<BatchOutcomes> {
    return this.dispatchShipment.dispatchRequested(events);
  }
}
