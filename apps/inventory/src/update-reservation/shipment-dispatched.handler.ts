import { Payload } from '@nestjs/microservices';
import { Consumers, type ShipmentDispatched, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateReservationService } from './update-reservation.service.js';

const consumer = Consumers.inventoryOnShipmentDispatched;

/** The message adapter of the update-reservation use case for shipments.dispatched (durable inventory--shipments-dispatched), a batch at a time. */
@MessageController()
export class ShipmentDispatchedHandler {
  constructor(private readonly updateReservation: UpdateReservationService) {}

  @EventBatchPattern(consumer)
  onShipmentDispatched(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof ShipmentDispatched>>>): Promise<BatchOutcomes> {
    return this.updateReservation.applyBatch(consumer.durable, events);
  }
}
