import { Payload } from '@nestjs/microservices';
import { Consumers, type OrderCreated, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateReservationService } from './update-reservation.service.js';

const consumer = Consumers.inventoryOnOrderCreated;

/** The message adapter of the update-reservation use case for orders.created (durable inventory--orders-created), a batch at a time. */
@MessageController()
export class OrderCreatedHandler {
  constructor(private readonly updateReservation: UpdateReservationService) {}

  @EventBatchPattern(consumer)
  onOrderCreated(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof OrderCreated>>>): Promise<BatchOutcomes> {
    return this.updateReservation.applyBatch(consumer.durable, events);
  }
}
