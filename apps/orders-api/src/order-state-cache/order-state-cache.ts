import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ORDER_STATE_BUCKET } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import type { OrderViewDto } from '../orders/http/order-view.dto.js';

/** CAS retries before giving up on one write (another writer kept winning). */
const MAX_CAS_ATTEMPTS = 5;

type RefreshOutcome = 'stored' | 'stale' | 'missing';

/**
 * The last-known view of each order, mirrored into the `order_state` KV
 * bucket for reads that do not need to touch PostgreSQL. Writes are
 * compare-and-set on the KV revision and only ever move an order's version
 * forward, so out-of-order or repeated writes never roll the mirror back.
 */
@Injectable()
export class OrderStateCache implements OnModuleInit {
  private readonly logger = new Logger(OrderStateCache.name);
  private kv!: KV;

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onModuleInit(): Promise<void> {
    // One value per key is enough: the history is part of the view itself.
    this.kv = await new Kvm(this.connection).create(ORDER_STATE_BUCKET, { history: 1 });
  }

  async get(orderId: string): Promise<OrderViewDto | null> {
    return viewIn(await this.kv.get(orderId));
  }

  /**
   * Stores the order's view as `load` reads it now, unless the bucket already
   * holds `version` or a newer one. The bucket is checked first so that `load`
   * (a PostgreSQL read of the order with its lines and history) runs only when
   * the mirror is behind: under load most changes find that an earlier
   * refresh already stored the order as it is after them.
   */
  async refresh(orderId: string, version: number, load: () => Promise<OrderViewDto | null>): Promise<RefreshOutcome> {
    const entry = await this.kv.get(orderId);
    if (holdsAtLeast(entry, version)) return 'stale';
    const view = await load();
    if (!view) return 'missing';
    return this.put(view, entry);
  }

  /** Stores the view unless the bucket already holds this version or a newer one. */
  private async put(view: OrderViewDto, firstRead: KvEntry | null): Promise<'stored' | 'stale'> {
    let entry = firstRead;
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      if (attempt > 1) entry = await this.kv.get(view.id);
      if (holdsAtLeast(entry, view.version)) return 'stale';
      try {
        const value = JSON.stringify(view);
        if (entry) await this.kv.update(view.id, value, entry.revision);
        else await this.kv.create(view.id, value);
        return 'stored';
      } catch (error) {
        // Another writer got in between our read and write: read again.
        this.logger.debug(`CAS lost for ${view.id} (attempt ${attempt}): ${(error as Error).message}`);
      }
    }
    throw new Error(`could not store order ${view.id} in ${ORDER_STATE_BUCKET} after ${MAX_CAS_ATTEMPTS} attempts`);
  }
}

function viewIn(entry: KvEntry | null): OrderViewDto | null {
  return entry && entry.operation === 'PUT' && entry.length > 0 ? entry.json<OrderViewDto>() : null;
}

function holdsAtLeast(entry: KvEntry | null, version: number): boolean {
  const current = viewIn(entry);
  return current !== null && current.version >= version;
}
