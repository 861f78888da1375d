import { Payload } from '@nestjs/microservices';
import { Consumers, type PaymentFailed, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateOrderFactService } from './update-order-fact.service.js';

const consumer = Consumers.analyticsOnPaymentFailed;

/** The message adapter of the update-order-fact use case for payments.failed (durable analytics--payments-failed), a batch at a time. */
@MessageController()
export class PaymentFailedHandler {
  constructor(private readonly updateOrderFact: UpdateOrderFactService) {}

  @EventBatchPattern(consumer)
  onPaymentFailed(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof PaymentFailed>>>): Promise<BatchOutcomes> {
    return this.updateOrderFact.applyBatch(consumer.durable, events);
  }
}
