import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { RetentionPruner } from '#messaging';
import { startTestDatabase, type TestDatabase } from './support/database.js';

/**
 * The retention pruner on a real PostgreSQL: it deletes exactly the rows
 * past their horizon, batch by batch, and never a row that is still needed
 * (an unpublished outbox row however old, an inbox row of a late event
 * applied recently, a row another transaction holds).
 */
const HOUR = 3_600_000;
const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms);

describe('retention pruner (outbox and inbox)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase({ label: 'retention', poolSize: 4 });
  });

  afterAll(async () => {
    await db?.stop();
  });

  beforeEach(async () => {
    await db.sql.$executeRawUnsafe('TRUNCATE orders.outbox_events, orders.inbox_events');
  });

  /** Batches of 2 rows, so a pass needs several DELETEs to catch up. */
  const pruner = () => new RetentionPruner(db.sql, { schema: 'orders', outboxRetentionMs: HOUR, inboxRetentionMs: 24 * HOUR, intervalMs: 60_000, batchRows: 2 });

  async function outboxRow(createdAgoMs: number, publishedAgoMs: number | null): Promise<string> {
    const id = uuidv7({ msecs: NOW - createdAgoMs });
    await db.sql.$executeRawUnsafe(
      `INSERT INTO orders.outbox_events (id, subject, type, aggregate_id, envelope, created_at, published_at)
       VALUES ($1::uuid, 'orders.created', 'orders.created', $2::uuid, '{}'::jsonb, $3, $4)`,
      id,
      uuidv7(),
      ago(createdAgoMs),
      publishedAgoMs === null ? null : ago(publishedAgoMs),
    );
    return id;
  }

  async function inboxRow(consumer: string, eventAgoMs: number, appliedAgoMs: number): Promise<string> {
    const eventId = uuidv7({ msecs: NOW - eventAgoMs });
    await db.sql.$executeRawUnsafe(
      `INSERT INTO orders.inbox_events (consumer, event_id, event_type, processed_at) VALUES ($1, $2::uuid, 'payments.succeeded', $3)`,
      consumer,
      eventId,
      ago(appliedAgoMs),
    );
    return eventId;
  }

  const outboxIds = async () =>
    (await db.sql.$queryRawUnsafe<Array<{ id: string }>>('SELECT id::text FROM orders.outbox_events ORDER BY id')).map((row) => row.id);
  const inboxIds = async () =>
    (await db.sql.$queryRawUnsafe<Array<{ event_id: string }>>('SELECT event_id::text FROM orders.inbox_events ORDER BY event_id')).map((row) => row.event_id);

  it('deletes published outbox rows past the horizon, never an unpublished one however old', async () => {
    const unpublishedAncient = await outboxRow(30 * 24 * HOUR, null);
    const old = await Promise.all([1, 2, 3, 4, 5].map((n) => outboxRow(3 * HOUR + n, 2 * HOUR)));
    const recent = await outboxRow(10 * 60_000, 5 * 60_000);
    // Published long after it was written (a relay that was down): its publish time is what counts.
    const publishedLate = await outboxRow(3 * HOUR, 30 * 60_000);

    const result = await pruner().pruneOnce(new Date(NOW));

    expect(result.outbox).toBe(old.length);
    expect(await outboxIds()).toEqual([unpublishedAncient, publishedLate, recent].sort());
  });

  it('deletes inbox rows whose event and application are both past the horizon, for every consumer', async () => {
    const old = [
      ...(await Promise.all([1, 2, 3].map((n) => inboxRow('orders-api--payments', 25 * HOUR + n, 25 * HOUR)))),
      ...(await Promise.all([1, 2, 3].map((n) => inboxRow('orders-api--shipments', 30 * HOUR + n, 30 * HOUR)))),
    ];
    const recent = await inboxRow('orders-api--payments', 60_000, 60_000);
    // An old event applied a minute ago (a replayed dead letter): a second copy must still be a duplicate.
    const lateReplay = await inboxRow('orders-api--shipments', 48 * HOUR, 60_000);

    const result = await pruner().pruneOnce(new Date(NOW));

    expect(result.inbox).toBe(old.length);
    expect(await inboxIds()).toEqual([lateReplay, recent].sort());
    // Caught up: nothing left to prune.
    expect(await pruner().pruneOnce(new Date(NOW))).toEqual({ outbox: 0, inbox: 0 });
  });

  it('skips rows another transaction holds (a relay claiming its batch), without waiting for it', async () => {
    const held = await outboxRow(3 * HOUR, 2 * HOUR);
    await outboxRow(3 * HOUR, 2 * HOUR); // free: pruned at once
    const relay = new pg.Client({ connectionString: db.url });
    await relay.connect();
    try {
      await relay.query('BEGIN');
      await relay.query('SELECT 1 FROM orders.outbox_events WHERE id = $1::uuid FOR UPDATE', [held]);

      expect((await pruner().pruneOnce(new Date(NOW))).outbox).toBe(1);
      expect(await outboxIds()).toEqual([held]);

      await relay.query('COMMIT');
      expect((await pruner().pruneOnce(new Date(NOW))).outbox).toBe(1);
      expect(await outboxIds()).toEqual([]);
    } finally {
      await relay.end();
    }
  });
});
