import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { VersionConflictError } from '#database';
import { IdempotentBatchConsumer, OutboxWriter, UnitsOfWork, type BatchQuery, type EventOutcome, type UnitOfWork } from '#messaging';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { orderCreatedEvent } from './support/events.js';

type Event = ReturnType<typeof orderCreatedEvent>;

/**
 * A batch of events as one set-based unit of work (IdempotentBatchConsumer),
 * against a real PostgreSQL: one transaction for the batch, one statement
 * per query for all its events, and per event exactly the right outcome:
 * a duplicate skipped, a poisoned event failed alone (before or after it
 * wrote), a lost version race run again, each effect applied once.
 */
describe('set-based units of work for a batch of events', () => {
  const CONSUMER = 'probe-consumer';
  const EVENTS = 24;
  let db: TestDatabase;
  let batches: IdempotentBatchConsumer;
  /** Statements the probe's write ran, and with how many rows each: the proof that a batch is set-based. */
  const writes: number[] = [];

  /** The effect under test: one probe row per event, written set-based. */
  const writeProbe: BatchQuery<Event, void> = {
    name: 'probe rows',
    async run(tx, events) {
      writes.push(events.length);
      await tx.$executeRawUnsafe(
        `INSERT INTO "payments"."batch_probe" (order_id, event_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
        events.map((event) => event.payload.orderId),
        events.map((event) => event.id),
      );
      return events.map(() => undefined);
    },
  };

  beforeAll(async () => {
    db = await startTestDatabase({ label: 'batch_uow', poolSize: 2 });
    await db.sql.$executeRawUnsafe(`CREATE TABLE "payments"."batch_probe" (order_id uuid PRIMARY KEY, event_id uuid NOT NULL)`);
    batches = new IdempotentBatchConsumer(new UnitsOfWork(db.sql, new OutboxWriter('payments')), 'payments');
  });

  afterAll(async () => {
    await db?.stop();
  });

  const newEvents = (n = EVENTS) => Array.from({ length: n }, () => orderCreatedEvent());

  /** The effect, with a fault for some events; every unit also reports itself after its commit. */
  function effect(reported: string[], fault: (event: Event, uow: UnitOfWork) => Promise<void> = async () => {}) {
    return async (event: Event, uow: UnitOfWork) => {
      uow.afterCommit(() => reported.push(event.id));
      await fault(event, uow);
      await uow.write(writeProbe, event);
    };
  }

  const apply = (events: Event[], run: ReturnType<typeof effect>): Promise<EventOutcome[]> =>
    batches.applyBatch(CONSUMER, events.map((envelope) => ({ envelope })), run);

  async function rowsOf(table: 'batch_probe' | 'inbox_events', events: Event[]): Promise<Array<{ id: string; tx: string }>> {
    return db.sql.$queryRawUnsafe(
      `SELECT event_id::text AS id, xmin::text AS tx FROM "payments"."${table}" WHERE event_id = ANY($1::uuid[])`,
      events.map((event) => event.id),
    );
  }

  /** The transactions that wrote these events' probe rows (PostgreSQL's xmin). */
  const transactionsOf = async (events: Event[]) => new Set((await rowsOf('batch_probe', events)).map((row) => row.tx)).size;

  it('applies a batch in one transaction with one statement per query, and skips duplicates in and across batches', async () => {
    const earlier = newEvents(1);
    await apply(earlier, effect([]));
    const events = newEvents();
    // A copy of one event inside the batch (a redelivery under a new msg id), and one applied before.
    const batch = [...events, events[3], earlier[0]];
    writes.length = 0;
    const reported: string[] = [];

    const outcomes = await apply(batch, effect(reported));

    expect(outcomes.map((o) => o.outcome)).toEqual([...events.map(() => 'applied'), 'duplicate', 'duplicate']);
    expect(writes).toEqual([EVENTS]);
    expect(await rowsOf('batch_probe', events)).toHaveLength(EVENTS);
    expect(await transactionsOf(events)).toBe(1);
    expect(reported.sort()).toEqual(events.map((e) => e.id).sort());
    const [copy] = await db.sql.$queryRawUnsafe<Array<{ duplicates: number }>>(
      `SELECT duplicates FROM "payments"."inbox_events" WHERE consumer = $1 AND event_id = $2::uuid`,
      CONSUMER,
      events[3].id,
    );
    expect(copy.duplicates).toBe(1);

    const again = await apply(events, effect([]));
    expect(again.every((o) => o.outcome === 'duplicate')).toBe(true);
    expect(await rowsOf('batch_probe', events)).toHaveLength(EVENTS);
  });

  it('leaves out an event that fails before it wrote: the others commit together, it is not recorded, and its redelivery applies', async () => {
    const events = newEvents();
    const poisoned = events[5];
    const reported: string[] = [];

    const outcomes = await apply(
      events,
      effect(reported, async (event) => {
        if (event === poisoned) throw new Error('poisoned before writing');
      }),
    );

    expect(outcomes[5]).toMatchObject({ outcome: 'failed', error: { message: 'poisoned before writing' } });
    expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(EVENTS - 1);
    expect(await transactionsOf(events)).toBe(1);
    expect(await rowsOf('batch_probe', [poisoned])).toHaveLength(0);
    expect(await rowsOf('inbox_events', [poisoned])).toHaveLength(0);
    expect(reported).not.toContain(poisoned.id);

    expect(await apply([poisoned], effect([]))).toEqual([{ outcome: 'applied' }]);
    expect(await rowsOf('batch_probe', events)).toHaveLength(EVENTS);
  });

  it('runs the events one by one when one fails after it wrote: it fails alone, half applied nowhere, the others commit once', async () => {
    const events = newEvents();
    const poisoned = events[7];
    const reported: string[] = [];
    writes.length = 0;

    const outcomes = await apply(events, async (event, uow) => {
      uow.afterCommit(() => reported.push(event.id));
      await uow.write(writeProbe, event);
      if (event === poisoned) throw new Error('poisoned after writing');
    });

    expect(outcomes[7]).toMatchObject({ outcome: 'failed', error: { message: 'poisoned after writing' } });
    expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(EVENTS - 1);
    // The shared attempt (rolled back), then one statement per event on its own.
    expect(writes).toEqual([EVENTS, ...events.map(() => 1)]);
    expect(await rowsOf('batch_probe', [poisoned])).toHaveLength(0);
    expect(await rowsOf('inbox_events', [poisoned])).toHaveLength(0);
    expect(await rowsOf('batch_probe', events)).toHaveLength(EVENTS - 1);
    expect(await transactionsOf(events)).toBe(EVENTS - 1);
    expect(reported.sort()).toEqual(events.filter((e) => e !== poisoned).map((e) => e.id).sort());
  });

  it('runs the whole batch again after a lost version race, and applies each event once', async () => {
    const events = newEvents();
    let raced = false;
    writes.length = 0;

    const outcomes = await apply(events, async (event, uow) => {
      await uow.write(writeProbe, event);
      if (event === events[9] && !raced) {
        raced = true;
        throw new VersionConflictError(`order ${event.payload.orderId}`);
      }
    });

    expect(outcomes.every((o) => o.outcome === 'applied')).toBe(true);
    expect(writes).toEqual([EVENTS, EVENTS]);
    expect(await rowsOf('batch_probe', events)).toHaveLength(EVENTS);
    expect(await transactionsOf(events)).toBe(1);
  });

  it('rolls the batch back on a statement error and still applies every other event once', async () => {
    const events = newEvents();
    // Its probe row exists already: the set-based insert fails on the primary key, for the whole batch.
    const clash = events[2];
    await db.sql.$executeRawUnsafe(`INSERT INTO "payments"."batch_probe" (order_id, event_id) VALUES ($1::uuid, gen_random_uuid())`, clash.payload.orderId);

    const outcomes = await apply(events, effect([]));

    expect(outcomes[2]).toMatchObject({ outcome: 'failed', error: { message: expect.stringContaining('duplicate key') } });
    expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(EVENTS - 1);
    expect(await rowsOf('inbox_events', [clash])).toHaveLength(0);
    expect(await rowsOf('batch_probe', events)).toHaveLength(EVENTS - 1);
  });

  it('runs commit callbacks after the COMMIT, in order, and contains a failing one', async () => {
    const events = newEvents(3);
    const calls: string[] = [];
    const outcomes = await apply(events, async (event, uow) => {
      uow.afterCommit(() => calls.push(`first ${event.id}`));
      uow.afterCommit(() => {
        throw new Error('a broken log line');
      });
      uow.afterCommit(() => calls.push(`third ${event.id}`));
      await uow.write(writeProbe, event);
      // Not while the transaction is open.
      expect(calls).toEqual([]);
    });
    expect(outcomes.every((o) => o.outcome === 'applied')).toBe(true);
    expect(calls).toEqual(events.flatMap((e) => [`first ${e.id}`, `third ${e.id}`]));
  });
});

/**
 * Units of work that arrive one at a time (HTTP requests, singly handled
 * messages) and commit together (UnitsOfWork.run, group commit), on a real
 * PostgreSQL: while a transaction is in flight the others wait and share the
 * next one, each resolves after its commit, and a failing one fails alone.
 */
describe('group commit of units that arrive one at a time', () => {
  const UNITS = 30;
  let db: TestDatabase;
  const writes: number[] = [];
  const writeRow: BatchQuery<string, void> = {
    name: 'group probe rows',
    async run(tx, ids) {
      writes.push(ids.length);
      await tx.$executeRawUnsafe(`INSERT INTO "payments"."group_probe" (id) SELECT * FROM unnest($1::uuid[])`, ids);
      return ids.map(() => undefined);
    },
  };

  beforeAll(async () => {
    db = await startTestDatabase({ label: 'group_commit', poolSize: 2 });
    await db.sql.$executeRawUnsafe(`CREATE TABLE "payments"."group_probe" (id uuid PRIMARY KEY)`);
  });

  afterAll(async () => {
    await db?.stop();
  });

  const transactionsOf = async (ids: string[]) => {
    const rows = await db.sql.$queryRawUnsafe<Array<{ tx: string }>>(`SELECT xmin::text AS tx FROM "payments"."group_probe" WHERE id = ANY($1::uuid[])`, ids);
    return { rows: rows.length, transactions: new Set(rows.map((row) => row.tx)).size };
  };

  it('starts the first unit at once, alone, and commits the units that arrived meanwhile together, one statement each group', async () => {
    const units = new UnitsOfWork(db.sql, new OutboxWriter('payments'), { maxUnits: 16, maxTransactions: 1 });
    const ids = Array.from({ length: UNITS }, () => randomUUID());
    writes.length = 0;

    await Promise.all(ids.map((id) => units.run((uow) => uow.write(writeRow, id))));

    // The first alone; the 29 that waited for it in groups of at most 16.
    expect(writes).toEqual([1, 16, 13]);
    expect(await transactionsOf(ids)).toEqual({ rows: UNITS, transactions: 3 });
  });

  it('fails only the failing unit of a group, and commits the others once', async () => {
    const units = new UnitsOfWork(db.sql, new OutboxWriter('payments'), { maxUnits: 16, maxTransactions: 1 });
    const ids = Array.from({ length: UNITS }, () => randomUUID());
    // Its row is there already: the group's insert fails on the primary key, then each unit runs alone.
    const clash = ids[20];
    await db.sql.$executeRawUnsafe(`INSERT INTO "payments"."group_probe" (id) VALUES ($1::uuid)`, clash);

    const results = await Promise.allSettled(ids.map((id) => units.run((uow) => uow.write(writeRow, id))));

    expect(results[20]).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('duplicate key') } });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(UNITS - 1);
    expect((await transactionsOf(ids.filter((id) => id !== clash))).rows).toBe(UNITS - 1);
  });
});
