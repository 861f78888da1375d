import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { TransactionRolledBackError, isUniqueViolation } from '#database';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { insertPendingPayment } from './support/payments.js';

/**
 * SqlDatabase, the plain-SQL path every consumer's inbox, effect and outbox
 * write runs on: all or nothing per transaction, errors the services can
 * classify, prepared statements reused, and the server-side limits that
 * replace Prisma's transaction timeout. Against a real PostgreSQL.
 */
describe('SqlDatabase (plain SQL on the shared pool)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase({ label: 'sql_database', poolSize: 4 });
  });

  afterAll(async () => {
    await db?.stop();
  });

  async function paymentExists(id: string): Promise<boolean> {
    const rows = await db.sql.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "payments"."payments" WHERE id = $1::uuid`, id);
    return rows.length === 1;
  }

  it('commits what the callback wrote when it resolves', async () => {
    const id = await db.sql.$transaction((tx) => insertPendingPayment(tx));
    expect(await paymentExists(id)).toBe(true);
  });

  // The INSERT is the statement BEGIN (not awaited, pipelined) travels with: undone all the same.
  it('rolls back everything when the callback throws, and rethrows its error', async () => {
    let written = '';
    const failure = new Error('effect failed after its first write');
    await expect(
      db.sql.$transaction(async (tx) => {
        written = await insertPendingPayment(tx);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await paymentExists(written)).toBe(false);
  });

  it("rolls back on a failed statement, and the error is pg's, classified by isUniqueViolation", async () => {
    const orderId = randomUUID();
    await db.sql.$transaction((tx) => insertPendingPayment(tx, orderId));
    let second = '';
    const error = await db.sql
      .$transaction(async (tx) => {
        second = await insertPendingPayment(tx); // written, then undone with the rest
        await insertPendingPayment(tx, orderId); // one payment per order
      })
      .catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await paymentExists(second)).toBe(false);
    // The connection went back to the pool clean: the next transaction works.
    expect(await db.sql.$transaction((tx) => tx.$queryRawUnsafe<Array<{ one: number }>>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('fails, and commits nothing, when the callback swallowed a failed statement', async () => {
    const orderId = randomUUID();
    await db.sql.$transaction((tx) => insertPendingPayment(tx, orderId));
    let written = '';
    await expect(
      db.sql.$transaction(async (tx) => {
        written = await insertPendingPayment(tx);
        await insertPendingPayment(tx, orderId).catch(() => undefined); // the transaction is aborted from here on
      }),
    ).rejects.toBeInstanceOf(TransactionRolledBackError);
    expect(await paymentExists(written)).toBe(false);
  });

  it('prepares each statement once per connection and reuses it', async () => {
    const prepared = await db.sql.$transaction(async (tx) => {
      for (let i = 0; i < 3; i += 1) await tx.$queryRawUnsafe(`SELECT $1::int AS n`, i);
      return tx.$queryRawUnsafe<Array<{ name: string; statement: string }>>(
        `SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int AS n'`,
      );
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0].name).toMatch(/^hot_\d+$/);
  });

  it('runs under the statement and idle-in-transaction limits that bound a stuck transaction', async () => {
    const settings = await db.sql.$transaction((tx) =>
      tx.$queryRawUnsafe<Array<{ statement: string; idle: string }>>(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`,
      ),
    );
    expect(settings).toEqual([{ statement: '15s', idle: '1min' }]);
  });

  it('pipelines: BEGIN travels with the first statement, and statements sent together share a round trip (db_round_trips_total), Prisma\'s counted too', async () => {
    const roundTrips = async () => (await register.getSingleMetric('db_round_trips_total')!.get()).values[0]!.value;
    const before = await roundTrips();
    await db.sql.$transaction((tx) => insertPendingPayment(tx));
    expect(await roundTrips()).toBe(before + 2); // BEGIN with the INSERT, then COMMIT
    // Sent together, answered together, both in the transaction BEGIN opened (one now()).
    const [first, second] = await db.sql.$transaction((tx) =>
      Promise.all([tx.$queryRawUnsafe<Array<{ at: Date }>>('SELECT now() AS at'), tx.$queryRawUnsafe<Array<{ at: Date }>>('SELECT now() AS at')]),
    );
    expect(await roundTrips()).toBe(before + 4); // BEGIN with both reads, then COMMIT
    expect(first[0].at.getTime()).toBe(second[0].at.getTime());
    await db.prisma.payment.count();
    expect(await roundTrips()).toBe(before + 5);
  });
});
