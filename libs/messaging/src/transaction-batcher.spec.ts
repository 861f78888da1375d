import { describe, it, expect } from '@jest/globals';
import type { SqlClient, TransactionalSqlClient } from '#database';
import { TransactionBatcher } from './transaction-batcher.js';

/**
 * The batcher's scheduling, against a recording stand-in for the database
 * (what the units write and whether it commits is proven on PostgreSQL in
 * test/integration/transaction-batching.int-spec.ts).
 */
class RecordingDatabase implements TransactionalSqlClient {
  readonly transactions: Array<{ units: string[]; outcome?: 'commit' | 'rollback' }> = [];

  async $transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    const record: { units: string[]; outcome?: 'commit' | 'rollback' } = { units: [] };
    this.transactions.push(record);
    const tx = {
      $executeRawUnsafe: async (name: string) => (record.units.push(name), 1),
      $queryRawUnsafe: async () => [] as never,
    };
    try {
      const result = await fn(tx);
      record.outcome = 'commit';
      return result;
    } catch (error) {
      record.outcome = 'rollback';
      throw error;
    }
  }

  $executeRawUnsafe(): Promise<number> {
    throw new Error('not used');
  }

  $queryRawUnsafe<T>(): Promise<T> {
    throw new Error('not used');
  }
}

/** A unit that records its name in the transaction, optionally waiting for `gate` first. */
const unit =
  (name: string, gate?: Promise<void>) =>
  async (tx: SqlClient): Promise<string> => {
    await gate;
    await tx.$executeRawUnsafe(name);
    return `${name} done`;
  };

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('TransactionBatcher', () => {
  it('runs a unit that finds the database idle at once, in a transaction of its own', async () => {
    const db = new RecordingDatabase();
    const batcher = new TransactionBatcher(db, { maxUnits: 16, maxTransactions: 2 });
    const running = batcher.run(unit('a'));
    expect(db.transactions).toHaveLength(1); // begun before run() returned: no wait to collect company
    await expect(running).resolves.toBe('a done');
    expect(db.transactions).toEqual([{ units: ['a'], outcome: 'commit' }]);
  });

  it('puts the units that arrive while every transaction is busy into one shared transaction, up to maxUnits', async () => {
    const db = new RecordingDatabase();
    const batcher = new TransactionBatcher(db, { maxUnits: 3, maxTransactions: 1 });
    const first = gate();
    const results = [batcher.run(unit('busy', first.promise)), ...['b', 'c', 'd', 'e'].map((name) => batcher.run(unit(name)))];
    first.open();
    await expect(Promise.all(results)).resolves.toEqual(['busy done', 'b done', 'c done', 'd done', 'e done']);
    expect(db.transactions.map((t) => t.units)).toEqual([['busy'], ['b', 'c', 'd'], ['e']]);
    expect(db.transactions.every((t) => t.outcome === 'commit')).toBe(true);
  });

  it('resolves a unit only once its shared transaction has committed', async () => {
    const db = new RecordingDatabase();
    const batcher = new TransactionBatcher(db, { maxUnits: 4, maxTransactions: 1 });
    const first = gate();
    const last = gate();
    const busy = batcher.run(unit('busy', first.promise));
    let bResolved = false;
    const b = batcher.run(unit('b')).then(() => (bResolved = true));
    const c = batcher.run(unit('c', last.promise));
    first.open();
    await busy;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(bResolved).toBe(false); // b has run, but c (same transaction) has not: nothing is committed yet
    last.open();
    await Promise.all([b, c]);
    expect(db.transactions.map((t) => t.units)).toEqual([['busy'], ['b', 'c']]);
  });

  it('rolls a shared transaction back when one unit fails, and runs each again alone so that only that one fails', async () => {
    const db = new RecordingDatabase();
    const batcher = new TransactionBatcher(db, { maxUnits: 8, maxTransactions: 1 });
    const first = gate();
    const failure = new Error('effect failed');
    const failing = async (tx: SqlClient) => {
      await tx.$executeRawUnsafe('bad');
      throw failure;
    };
    const busy = batcher.run(unit('busy', first.promise));
    const results = Promise.allSettled([batcher.run(unit('b')), batcher.run(failing), batcher.run(unit('c'))]);
    first.open();
    await busy;
    expect((await results).map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'b done',
      'effect failed',
      'c done',
    ]);
    expect(db.transactions.slice(1)).toEqual([
      { units: ['b', 'bad'], outcome: 'rollback' },
      { units: ['b'], outcome: 'commit' },
      { units: ['bad'], outcome: 'rollback' },
      { units: ['c'], outcome: 'commit' },
    ]);
  });

  it('gives every unit its own transaction when maxUnits is 1', async () => {
    const db = new RecordingDatabase();
    const batcher = new TransactionBatcher(db, { maxUnits: 1, maxTransactions: 1 });
    await Promise.all(['a', 'b', 'c'].map((name) => batcher.run(unit(name))));
    expect(db.transactions.map((t) => t.units)).toEqual([['a'], ['b'], ['c']]);
  });
});
