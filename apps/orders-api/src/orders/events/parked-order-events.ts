import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import type { SqlClient } from '#database';
import type { OrderTrigger } from '../domain/order-state-machine.js';

export interface ParkedEvent {
  consumer: string;
  event: EventEnvelope<{ orderId: string }>;
  trigger: OrderTrigger;
  reason: string | null;
}

interface ParkedEventRow {
  consumer: string;
  envelope: unknown;
  trigger: string;
  reason: string | null;
}

/**
 * The orders.parked_events table: events waiting for their predecessor. Plain
 * SQL, in the transaction of the event being applied (see SqlDatabase).
 */
@Injectable()
export class ParkedOrderEvents {
  async park(tx: SqlClient, parked: ParkedEvent): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO "orders"."parked_events" (consumer, event_id, order_id, trigger, reason, envelope)
       VALUES ($1, $2::uuid, $3::uuid, $4, $5, $6::jsonb)`,
      parked.consumer,
      parked.event.id,
      parked.event.payload.orderId,
      parked.trigger,
      parked.reason,
      JSON.stringify(parked.event),
    );
  }

  /** Oldest first. Asked after a transition whose statement saw parked events for the order, and again after each pass that applied one. */
  async forOrder(tx: SqlClient, orderId: string): Promise<ParkedEvent[]> {
    const rows = await tx.$queryRawUnsafe<ParkedEventRow[]>(
      `SELECT consumer, envelope, trigger, reason FROM "orders"."parked_events"
        WHERE order_id = $1::uuid ORDER BY parked_at`,
      orderId,
    );
    return rows.map((row) => ({
      consumer: row.consumer,
      event: row.envelope as EventEnvelope<{ orderId: string }>,
      trigger: row.trigger as OrderTrigger,
      reason: row.reason,
    }));
  }

  async remove(tx: SqlClient, parked: ParkedEvent): Promise<void> {
    await tx.$executeRawUnsafe(
      `DELETE FROM "orders"."parked_events" WHERE consumer = $1 AND event_id = $2::uuid`,
      parked.consumer,
      parked.event.id,
    );
  }
}
