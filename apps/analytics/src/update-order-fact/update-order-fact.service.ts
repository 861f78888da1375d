import { Injectable } from '@nestjs/common';
import { IdempotentBatchConsumer, type BatchedEvent, type EventOutcome, type UnitOfWork } from '#messaging';
import { AnalyticsFeed } from '../figures/analytics-feed.js';
import { factWrites, type OrderFactEvent } from './order-fact-writes.js';

export type { OrderFactEvent } from './order-fact-writes.js';

/**
 * Records each consumed event's part of its order's facts, at most once per
 * consumer and event: the inbox record and the fact writes commit in one
 * transaction (DESIGN invariant 3), and the message is acknowledged after
 * that. A batch is one transaction, its writes one statement per query for
 * every event of the batch (analytics-rows.ts). Analytics emits nothing: it
 * is a read model, rebuilt from the streams by replaying them into an empty
 * schema. After a commit it tells the live feed that the figures changed.
 */
@Injectable()
export class UpdateOrderFactService {
  constructor(
    private readonly batches: IdempotentBatchConsumer,
    private readonly feed: AnalyticsFeed,
  ) {}

  /** `consumer` is the durable the events arrived through: the inbox remembers events per consumer. One outcome per event. */
  applyBatch(consumer: string, events: ReadonlyArray<BatchedEvent<OrderFactEvent>>): Promise<EventOutcome[]> {
    return this.batches.applyBatch(consumer, events, (event, uow) => this.applyOne(event, uow));
  }

  /** One event, in the unit of work of its batch. */
  async applyOne(event: OrderFactEvent, uow: UnitOfWork): Promise<void> {
    for (const { query, input } of factWrites(event)) await uow.write(query, input);
    uow.afterCommit(() => this.feed.changed());
  }
}
