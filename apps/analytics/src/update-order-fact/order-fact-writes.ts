import { InventoryRejected, OrderCancelled, OrderCreated, PaymentFailed, PaymentRefunded, PaymentSucceeded, type EnvelopeOf } from '#contracts';
import type { BatchQuery } from '#messaging';
import {
  recordCancelled,
  recordCreated,
  recordFailed,
  recordLines,
  recordPaid,
  recordRefunded,
  recordRejected,
} from '../analytics-rows.js';

/** The events the analytics use case applies, one handler each. */
export type OrderFactEvent =
  | EnvelopeOf<typeof OrderCreated>
  | EnvelopeOf<typeof OrderCancelled>
  | EnvelopeOf<typeof PaymentSucceeded>
  | EnvelopeOf<typeof PaymentFailed>
  | EnvelopeOf<typeof PaymentRefunded>
  | EnvelopeOf<typeof InventoryRejected>;

/** One write of an event's part of its order's facts: a statement and this event's input to it. */
export interface FactWrite<In = unknown> {
  readonly query: BatchQuery<In, void>;
  readonly input: In;
}

const write = <In>(query: BatchQuery<In, void>, input: In): FactWrite => ({ query: query as BatchQuery<unknown, void>, input });

/**
 * What one event records about its order, and nothing else: each event type
 * has columns of its own, so the result does not depend on what was applied
 * before. Times are the event's occurredAt (the per-minute figures count
 * orders by when they were placed, not when analytics heard of them).
 */
export function factWrites(event: OrderFactEvent): FactWrite[] {
  const at = event.occurredAt;
  const { orderId } = event.payload;
  switch (event.type) {
    case OrderCreated.type: {
      const { customerId, currency, lines, totalCents } = (event as EnvelopeOf<typeof OrderCreated>).payload;
      return [
        write(recordCreated, { orderId, customerId, currency, totalCents, createdAt: at }),
        write(recordLines, {
          orderId,
          lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, lineTotalCents: l.quantity * l.unitPriceCents })),
        }),
      ];
    }
    case PaymentSucceeded.type:
      return [write(recordPaid, { orderId, paidCents: (event as EnvelopeOf<typeof PaymentSucceeded>).payload.amountCents, paidAt: at })];
    case PaymentRefunded.type:
      return [write(recordRefunded, { orderId, refundedCents: (event as EnvelopeOf<typeof PaymentRefunded>).payload.amountCents, refundedAt: at })];
    case PaymentFailed.type:
      return [write(recordFailed, { orderId, at })];
    case OrderCancelled.type:
      return [write(recordCancelled, { orderId, at })];
    case InventoryRejected.type:
      return [write(recordRejected, { orderId, at })];
    default:
      // The transport hands this use case only the types above.
      throw new Error(`analytics: no facts for event type ${event.type}`);
  }
}
