import { Payload } from '@nestjs/microservices';
import { Consumers, type OrderCancelled, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateOrderFactService } from './update-order-fact.service.js';

const consumer = Consumers.analyticsOnOrderCancelled;

/** The message adapter of the update-order-fact use case for orders.cancelled (durable analytics--orders-cancelled), a batch at a time. */
@MessageController()
export class OrderCancelledHandler {
  constructor(private readonly updateOrderFact: UpdateOrderFactService) {}

  @EventBatchPattern(consumer)
  onOrderCancelled(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof OrderCancelled>>>): Promise<BatchOutcomes> {
    return this.updateOrderFact.applyBatch(consumer.durable, events);
  }
}
