import type { EventEnvelope } from '#contracts';
import { canonicalUuid, type BatchQuery } from '#messaging';
import type { OrderTrigger } from '../domain/order-state-machine.js';

export interface ParkedEvent {
  consumer: string;
  event: EventEnvelope<{ orderId: string }>;
  trigger: OrderTrigger;
  reason: string | null;
}

interface ParkedEventRow {
  orderId: string;
  consumer: string;
  envelope: unknown;
  trigger: string;
  reason: string | null;
}

/*
 * The orders.parked_events table: events waiting for their predecessor. Each
 * statement serves every unit of work of a batch at once (see UnitOfWork).
 */

export const parkEvents: BatchQuery<ParkedEvent, void> = {
  name: 'park events',
  async run(tx, parked) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "orders"."parked_events" (consumer, event_id, order_id, trigger, reason, envelope)
       SELECT consumer, event_id, order_id, trigger, reason, envelope::jsonb
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[])
              AS p (consumer, event_id, order_id, trigger, reason, envelope)`,
      parked.map((p) => p.consumer),
      parked.map((p) => p.event.id),
      parked.map((p) => p.event.payload.orderId),
      parked.map((p) => p.trigger),
      parked.map((p) => p.reason),
      parked.map((p) => JSON.stringify(p.event)),
    );
    return parked.map(() => undefined);
  },
};

/** Per order, oldest first. Asked after a transition whose statement saw parked events for the order, and again after each pass that applied one. */
export const parkedEventsOf: BatchQuery<string, ParkedEvent[]> = {
  name: 'parked events of orders',
  async run(tx, orderIds) {
    const rows = await tx.$queryRawUnsafe<ParkedEventRow[]>(
      `SELECT order_id::text AS "orderId", consumer, envelope, trigger, reason FROM "orders"."parked_events"
        WHERE order_id = ANY($1::uuid[]) ORDER BY parked_at`,
      orderIds,
    );
    const byOrder = new Map<string, ParkedEvent[]>();
    for (const row of rows) {
      const list = byOrder.get(row.orderId) ?? [];
      list.push({ consumer: row.consumer, event: row.envelope as ParkedEvent['event'], trigger: row.trigger as OrderTrigger, reason: row.reason });
      byOrder.set(row.orderId, list);
    }
    return orderIds.map((id) => byOrder.get(canonicalUuid(id)) ?? []);
  },
};

export const unparkEvents: BatchQuery<ParkedEvent, void> = {
  name: 'unpark events',
  async run(tx, parked) {
    await tx.$executeRawUnsafe(
      `DELETE FROM "orders"."parked_events" p
        USING unnest($1::text[], $2::uuid[]) AS gone (consumer, event_id)
        WHERE p.consumer = gone.consumer AND p.event_id = gone.event_id`,
      parked.map((p) => p.consumer),
      parked.map((p) => p.event.id),
    );
    return parked.map(() => undefined);
  },
};
