import { Payload } from '@nestjs/microservices';
import { Consumers, type InventoryRejected, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { UpdateOrderFactService } from './update-order-fact.service.js';

const consumer = Consumers.analyticsOnInventoryRejected;

/** The message adapter of the update-order-fact use case for inventory.rejected (durable analytics--inventory-rejected), a batch at a time. */
@MessageController()
export class InventoryRejectedHandler {
  constructor(private readonly updateOrderFact: UpdateOrderFactService) {}

  @EventBatchPattern(consumer)
  onInventoryRejected(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof InventoryRejected>>>): Promise<BatchOutcomes> {
    return this.updateOrderFact.applyBatch(consumer.durable, events);
  }
}
