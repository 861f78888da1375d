import { Payload } from '@nestjs/microservices';
import { Consumers, type OrderCreated, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateOrderFactService } from './update-order-fact.service.js';

const consumer = Consumers.analyticsOnOrderCreated;

/** The message adapter of the update-order-fact use case for orders.created (durable analytics--orders-created), a batch at a time. */
@MessageController()
export class OrderCreatedHandler {
  constructor(private readonly updateOrderFact: UpdateOrderFactService) {}

  @EventBatchPattern(consumer)
  onOrderCreated(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof OrderCreated>>>): Promise<BatchOutcomes> {
    return this.updateOrderFact.applyBatch(consumer.durable, events);
  }
}
