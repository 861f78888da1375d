import { Payload } from '@nestjs/microservices';
import { Consumers, type EnvelopeOf, type ShipmentPrepared } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { DispatchShipmentService } from './dispatch-shipment.service.js';

/** The message adapter of the dispatch-shipment use case: shipments.prepared, a batch at a time. */
@MessageController()
export class ShipmentPreparedHandler {
  constructor(private readonly dispatchShipment: DispatchShipmentService) {}

  @EventBatchPattern(Consumers.shipmentsOnShipmentPrepared)
  onShipmentsPrepared(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof ShipmentPrepared>>>): Promise<BatchOutcomes> {
    return this.dispatchShipment.dispatchPrepared(events);
  }
}
