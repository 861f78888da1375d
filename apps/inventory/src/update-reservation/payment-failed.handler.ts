import { Payload } from '@nestjs/microservices';
import { Consumers, type PaymentFailed, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateReservationService } from './update-reservation.service.js';

const consumer = Consumers.inventoryOnPaymentFailed;

/** The message adapter of the update-reservation use case for payments.failed (durable inventory--payments-failed), a batch at a time. */
@MessageController()
export class PaymentFailedHandler {
  constructor(private readonly updateReservation: UpdateReservationService) {}

  @EventBatchPattern(consumer)
  onPaymentFailed(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof PaymentFailed>>>): Promise<BatchOutcomes> {
    return this.updateReservation.applyBatch(consumer.durable, events);
  }
}
