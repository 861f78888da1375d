import { Payload } from '@nestjs/microservices';
import { Consumers, type PaymentVoided, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateReservationService } from './update-reservation.service.js';

const consumer = Consumers.inventoryOnPaymentVoided;

/** The message adapter of the update-reservation use case for payments.voided (durable inventory--payments-voided), a batch at a time. */
@MessageController()
export class PaymentVoidedHandler {
  constructor(private readonly updateReservation: UpdateReservationService) {}

  @EventBatchPattern(consumer)
  onPaymentVoided(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof PaymentVoided>>>): Promise<BatchOutcomes> {
    return this.updateReservation.applyBatch(consumer.durable, events);
  }
}
