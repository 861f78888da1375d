import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { afterCommit, type SqlClient } from '#database';
import { IdempotentConsumer } from '#messaging';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { insertPendingPayment } from './support/payments.js';
import { orderCreatedEvent } from './support/events.js';

/**
 * Events applied at the same moment share transactions (TransactionBatcher
 * under IdempotentConsumer), against a real PostgreSQL: they really commit
 * together, each event is still applied exactly once, and a failing event
 * neither takes the others down nor gets half applied.
 */
describe('shared transactions for events handled at the same moment', () => {
  const CONSUMER = 'payments-on-order-created';
  const EVENTS = 40;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase({ label: 'tx_batching', poolSize: 4 });
  });

  afterAll(async () => {
    await db?.stop();
  });

  /**
   * The effect under test: one PENDING payment per order (unique order id),
   * or a failure for the poisoned order. Each run also asks to report the
   * order after its commit, as the services' operator log lines do.
   */
  const openPayment = (orderId: string, poisoned: string | undefined, reported: string[]) => async (tx: SqlClient) => {
    await insertPendingPayment(tx, orderId);
    afterCommit(tx, () => reported.push(orderId));
    if (orderId === poisoned) throw new Error(`poisoned order ${orderId}`);
  };

  async function count(sql: string, ...values: unknown[]): Promise<number> {
    const [row] = await db.sql.$queryRawUnsafe<Array<{ n: number }>>(sql, ...values);
    return row.n;
  }

  /** One transaction at a time, so everything arriving meanwhile has to share. */
  const batchingConsumer = () => new IdempotentConsumer(db.sql, 'payments', { maxUnits: 16, maxTransactions: 1 });

  const deliverAll = (consumer: IdempotentConsumer, events: ReturnType<typeof orderCreatedEvent>[], poisoned?: string, reported: string[] = []) =>
    Promise.allSettled(events.map((event) => consumer.apply(CONSUMER, event, openPayment(event.payload.orderId, poisoned, reported))));

  const paymentsOf = (events: ReturnType<typeof orderCreatedEvent>[]) =>
    count(`SELECT count(*)::int AS n FROM "payments"."payments" WHERE order_id = ANY($1::uuid[])`, events.map((e) => e.payload.orderId));

  it('commits events handled at the same moment in shared transactions, each once', async () => {
    const consumer = batchingConsumer();
    const events = Array.from({ length: EVENTS }, () => orderCreatedEvent());
    const results = await deliverAll(consumer, events);
    expect(results.every((r) => r.status === 'fulfilled' && r.value === 'applied')).toBe(true);
    expect(await paymentsOf(events)).toBe(EVENTS);
    // The first ran alone at once; the 39 that arrived meanwhile shared transactions of up to 16.
    const writers = await count(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM "payments"."inbox_events" WHERE event_id = ANY($1::uuid[])`,
      events.map((e) => e.id),
    );
    expect(writers).toBe(1 + Math.ceil((EVENTS - 1) / 16));

    const again = await deliverAll(consumer, events);
    expect(again.every((r) => r.status === 'fulfilled' && r.value === 'duplicate')).toBe(true);
    expect(await paymentsOf(events)).toBe(EVENTS);
  });

  it('keeps a failing event apart: the others commit once, it is not half applied, and redeliveries change nothing', async () => {
    const consumer = batchingConsumer();
    const events = Array.from({ length: EVENTS }, () => orderCreatedEvent());
    const poisoned = events[17];
    const reported: string[] = [];

    const first = await deliverAll(consumer, events, poisoned.payload.orderId, reported);
    expect(first.filter((r) => r.status === 'fulfilled' && r.value === 'applied')).toHaveLength(EVENTS - 1);
    expect(first[17]).toMatchObject({ status: 'rejected', reason: { message: `poisoned order ${poisoned.payload.orderId}` } });
    expect(await paymentsOf(events)).toBe(EVENTS - 1);
    expect(await paymentsOf([poisoned])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM "payments"."inbox_events" WHERE event_id = $1::uuid`, poisoned.id)).toBe(0);
    // Reported once each although the poisoned shared transaction ran them twice; the poisoned one never.
    const good = events.filter((event) => event !== poisoned).map((event) => event.payload.orderId);
    expect([...reported].sort()).toEqual([...good].sort());

    // Every event again, at once: the inbox recognises the 39, the poisoned one fails again alone.
    const again = await deliverAll(consumer, events, poisoned.payload.orderId);
    expect(again.filter((r) => r.status === 'fulfilled' && r.value === 'duplicate')).toHaveLength(EVENTS - 1);
    expect(again[17].status).toBe('rejected');
    expect(await paymentsOf(events)).toBe(EVENTS - 1);
  });
});
