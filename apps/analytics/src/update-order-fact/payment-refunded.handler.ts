import { Payload } from '@nestjs/microservices';
import { Consumers, type PaymentRefunded, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateOrderFactService } from './update-order-fact.service.js';

const consumer = Consumers.analyticsOnPaymentRefunded;

/** The message adapter of the update-order-fact use case for payments.refunded (durable analytics--payments-refunded), a batch at a time. */
@MessageController()
export class PaymentRefundedHandler {
  constructor(private readonly updateOrderFact: UpdateOrderFactService) {}

  @EventBatchPattern(consumer)
  onPaymentRefunded(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof PaymentRefunded>>>): Promise<BatchOutcomes> {
    return this.updateOrderFact.applyBatch(consumer.durable, events);
  }
}
