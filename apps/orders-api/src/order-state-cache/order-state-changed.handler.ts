import { EventPattern, Payload } from '@nestjs/microservices';
import { OrderStateChanged, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { OrderViews } from '../orders/order-views.js';
import { OrderStateCache } from './order-state-cache.js';

/**
 * Refreshes the KV mirror when an order changes. It stores the order as it is
 * now (read from PostgreSQL, and only when the mirror does not already hold
 * the event's version or a newer one), and the cache only moves versions
 * forward, so this handler is idempotent without an inbox: its effect is not
 * in the database, and a repeat can only write the same or an older version.
 */
@MessageController()
export class OrderStateChangedHandler {
  constructor(
    private readonly views: OrderViews,
    private readonly cache: OrderStateCache,
  ) {}

  @EventPattern(OrderStateChanged.subject)
  async onStateChanged(@Payload() event: EnvelopeOf<typeof OrderStateChanged>): Promise<void> {
    const { orderId, version } = event.payload;
    await this.cache.refresh(orderId, version, () => this.views.find(orderId));
  }
}
