import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ORDER_STATE_BUCKET } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import type { KvPut } from '#messaging';
import type { OrderViewDto } from '../orders/http/order-view.dto.js';

/**
 * The last-known view of each order, mirrored into the `order_state` KV
 * bucket for reads that do not need to touch PostgreSQL.
 *
 * The mirror costs no consumed message: every change of an order writes its
 * new view to the outbox as a KV put (orderStatePut), in the transaction of
 * the change, and the relay publishes it. The relay publishes one order's
 * rows in order and, of several puts of one order in a batch, only the
 * newest, so the mirror only ever moves forward (see OutboxRelay).
 */
@Injectable()
export class OrderStateCache implements OnModuleInit {
  private kv!: KV;

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  /** Opens the bucket, creating it the first time: before the relay starts (onApplicationBootstrap), so its puts have a stream. */
  async onModuleInit(): Promise<void> {
    // One value per key is enough: the history is part of the view itself.
    this.kv = await new Kvm(this.connection).create(ORDER_STATE_BUCKET, { history: 1 });
  }

  async get(orderId: string): Promise<OrderViewDto | null> {
    return viewIn(await this.kv.get(orderId));
  }
}

/** The mirror's entry for an order's view, for OutboxWriter.add in the transaction that changed it. */
export function orderStatePut(view: OrderViewDto): KvPut {
  return { bucket: ORDER_STATE_BUCKET, key: view.id, aggregateId: view.id, value: view };
}

function viewIn(entry: KvEntry | null): OrderViewDto | null {
  if (!entry || entry.operation !== 'PUT' || entry.length === 0) return null;
  // An entry written before orders had shipping details lacks the field: that order had none.
  const view = entry.json<Omit<OrderViewDto, 'shipping'> & Partial<Pick<OrderViewDto, 'shipping'>>>();
  return { ...view, shipping: view.shipping ?? null };
}
