import { Payload } from '@nestjs/microservices';
import { Consumers, type ShipmentCancelled, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateReservationService } from './update-reservation.service.js';

const consumer = Consumers.inventoryOnShipmentCancelled;

/** The message adapter of the update-reservation use case for shipments.cancelled (durable inventory--shipments-cancelled), a batch at a time. */
@MessageController()
export class ShipmentCancelledHandler {
  constructor(private readonly updateReservation: UpdateReservationService) {}

  @EventBatchPattern(consumer)
  onShipmentCancelled(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof ShipmentCancelled>>>): Promise<BatchOutcomes> {
    return this.updateReservation.applyBatch(consumer.durable, events);
  }
}
