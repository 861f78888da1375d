import { Payload } from '@nestjs/microservices';
import { Consumers, type OrderCreated, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { ReserveStockService } from './reserve-stock.service.js';

const consumer = Consumers.inventoryOnOrderCreated;

/** The message adapter of the reserve-stock use case: each new order, a batch at a time. */
@MessageController()
export class OrderCreatedHandler {
  constructor(private readonly reserveStock: ReserveStockService) {}

  @EventBatchPattern(consumer)
  onOrderCreated(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof OrderCreated>>>): Promise<BatchOutcomes> {
    return this.reserveStock.applyBatch(consumer.durable, events);
  }
}
