import { Payload } from '@nestjs/microservices';
import { Consumers, type PaymentSucceeded, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateOrderFactService } from './update-order-fact.service.js';

const consumer = Consumers.analyticsOnPaymentSucceeded;

/** The message adapter of the update-order-fact use case for payments.succeeded (durable analytics--payments-succeeded), a batch at a time. */
@MessageController()
export class PaymentSucceededHandler {
  constructor(private readonly updateOrderFact: UpdateOrderFactService) {}

  @EventBatchPattern(consumer)
  onPaymentSucceeded(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof PaymentSucceeded>>>): Promise<BatchOutcomes> {
    return this.updateOrderFact.applyBatch(consumer.durable, events);
  }
}
