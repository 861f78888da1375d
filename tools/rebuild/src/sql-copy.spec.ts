import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { InventoryRejected, OrderCancelled, OrderCreated, PaymentFailed, PaymentRefunded, PaymentSucceeded, type EventDefinition } from '#contracts';
import type { SqlClient } from '#database';
import { factWrites, type OrderFactEvent } from '../../../apps/analytics/src/update-order-fact/order-fact-writes.js';
import { writesByQuery } from './analytics-read-model.js';
import { redirectedToSchema } from './sql-copy.js';

/** A SqlClient that records the statements it is given. */
function recording(): SqlClient & { statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    async $executeRawUnsafe(query: string) {
      statements.push(query);
      return 0;
    },
    async $queryRawUnsafe<T>(query: string) {
      statements.push(query);
      return [] as T;
    },
  };
}

describe('redirectedToSchema', () => {
  it('runs a statement on the copy’s tables of the same names', async () => {
    const db = recording();
    await redirectedToSchema(db, 'analytics', 'analytics_rebuild').$executeRawUnsafe(
      'INSERT INTO "analytics"."order_facts" (order_id) VALUES ($1) ON CONFLICT (order_id) DO UPDATE SET version = "analytics"."order_facts".version + 1',
      'x',
    );
    expect(db.statements).toEqual([
      'INSERT INTO "analytics_rebuild"."order_facts" (order_id) VALUES ($1) ON CONFLICT (order_id) DO UPDATE SET version = "analytics_rebuild"."order_facts".version + 1',
    ]);
  });

  it('refuses a statement that names the live schema another way, rather than write the live tables', async () => {
    const copy = redirectedToSchema(recording(), 'analytics', 'analytics_rebuild');
    await expect(copy.$executeRawUnsafe('DELETE FROM analytics.order_facts')).rejects.toThrow(/live "analytics" schema/);
    await expect(copy.$queryRawUnsafe('SELECT * FROM "analytics" . order_facts')).rejects.toThrow(/live "analytics" schema/);
    await expect(copy.$queryRawUnsafe('SELECT analytics_total FROM "analytics_rebuild".order_facts')).resolves.toEqual([]);
  });
});

describe('the analytics rebuild: analytics’ own writes, redirected', () => {
  const orderId = uuidv7();
  const paymentId = uuidv7();
  const envelope = (definition: EventDefinition, payload: Record<string, unknown>): OrderFactEvent => {
    const id = uuidv7();
    return { id, type: definition.type, schemaVersion: 1, occurredAt: '2026-12-02T03:04:05.000Z', aggregateId: orderId, correlationId: id, causationId: id, payload } as OrderFactEvent;
  };
  const events = [
    envelope(OrderCreated, { orderId, customerId: 'c', currency: 'EUR', totalCents: 500, lines: [{ sku: 'A', quantity: 1, unitPriceCents: 500 }] }),
    envelope(PaymentFailed, { orderId, paymentId, amountCents: 500, reason: 'card_declined' }),
    envelope(PaymentSucceeded, { orderId, paymentId, amountCents: 500, gatewayReference: 'g' }),
    envelope(PaymentRefunded, { orderId, paymentId, amountCents: 500, gatewayReference: 'g', refundReference: 'r' }),
    envelope(OrderCancelled, { orderId, reason: 'no' }),
    envelope(InventoryRejected, { orderId, shortSkus: ['A'] }),
    envelope(PaymentFailed, { orderId, paymentId: uuidv7(), amountCents: 500, reason: 'card_declined' }),
  ];

  it('runs one statement per write of a batch, every event of the batch in it, in the order they first came', () => {
    const grouped = writesByQuery(events.flatMap(factWrites));
    expect(grouped.map(({ query, inputs }) => [query.name, inputs.length])).toEqual([
      ['analytics: orders created', 1],
      ['analytics: order lines', 1],
      ['analytics: payments failed', 2],
      ['analytics: payments succeeded', 1],
      ['analytics: payments refunded', 1],
      ['analytics: orders cancelled', 1],
      ['analytics: orders rejected', 1],
    ]);
  });

  it('writes every statement of analytics to the copy and none to the live schema (how analytics spells its tables)', async () => {
    const db = recording();
    const copy = redirectedToSchema(db, 'analytics', 'analytics_rebuild');
    for (const { query, inputs } of writesByQuery(events.flatMap(factWrites))) await query.run(copy, inputs);
    expect(db.statements).toHaveLength(7);
    for (const statement of db.statements) expect(statement).toMatch(/"analytics_rebuild"\."order_fact(s|_lines)"/);
  });
});
