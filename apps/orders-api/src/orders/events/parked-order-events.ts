import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import type { TransactionClient } from '#database';
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

/** The orders.parked_events table: events waiting for their predecessor. */
@Injectable()
export class ParkedOrderEvents {
  /**
   * Row lock on the order for the rest of the transaction. The version check
   * still guards every update; this only orders a parker after an applier.
   */
  async lockOrder(tx: TransactionClient, orderId: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM "orders"."orders" WHERE id = ${orderId}::uuid FOR UPDATE`;
  }

  async park(tx: TransactionClient, parked: ParkedEvent): Promise<void> {
    await tx.orderParkedEvent.create({
      data: {
        consumer: parked.consumer,
        eventId: parked.event.id,
        orderId: parked.event.payload.orderId,
        trigger: parked.trigger,
        reason: parked.reason,
        envelope: parked.event as object,
      },
    });
  }

  /**
   * Oldest first. Plain SQL, like lockOrder: every applied event asks, and
   * almost always finds none, so Prisma's per-query planning (see
   * order-rows.ts) would be most of the cost of the answer.
   */
  async forOrder(tx: TransactionClient, orderId: string): Promise<ParkedEvent[]> {
    const rows = await tx.$queryRaw<ParkedEventRow[]>`
      SELECT consumer, envelope, trigger, reason FROM "orders"."parked_events"
       WHERE order_id = ${orderId}::uuid ORDER BY parked_at`;
    return rows.map((row) => ({
      consumer: row.consumer,
      event: row.envelope as EventEnvelope<{ orderId: string }>,
      trigger: row.trigger as OrderTrigger,
      reason: row.reason,
    }));
  }

  async remove(tx: TransactionClient, parked: ParkedEvent): Promise<void> {
    await tx.orderParkedEvent.delete({
      where: { consumer_eventId: { consumer: parked.consumer, eventId: parked.event.id } },
    });
  }
}
