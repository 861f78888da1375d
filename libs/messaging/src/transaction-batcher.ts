import type { SqlClient, TransactionalSqlClient } from '#database';

/** A unit of work that must commit or roll back as a whole. */
export type UnitOfWork<R, Tx extends SqlClient = SqlClient> = (tx: Tx) => Promise<R>;

export interface TransactionBatcherOptions {
  /** Units in one shared transaction at most; 1 gives each unit its own. */
  maxUnits: number;
  /** Shared transactions in flight at once (each holds a pooled connection). */
  maxTransactions: number;
}

interface Waiting<Tx extends SqlClient> {
  unit: UnitOfWork<unknown, Tx>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs units of work that arrive while others are in flight together, one
 * after another in one transaction, instead of one transaction each.
 *
 * Why: a consumer's unit (inbox record, effect, outbox write) is a handful of
 * short statements, and BEGIN and COMMIT are two more round trips plus a
 * commit each. Under load, a message's unit joins those waiting for a free
 * transaction and commits with them; when idle, a unit starts at once, alone,
 * so batching adds no latency of its own. Hand-written because it sits
 * between the transport and the database, where no library reaches.
 *
 * Each unit still commits before its promise resolves (so the message is
 * acked after the commit), and fails alone: when any unit throws, the shared
 * transaction rolls back and every unit of it runs again in a transaction of
 * its own, so only the failing one is rejected.
 */
export class TransactionBatcher<Tx extends SqlClient = SqlClient> {
  private readonly waiting: Waiting<Tx>[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: TransactionalSqlClient<Tx>,
    private readonly options: TransactionBatcherOptions,
  ) {}

  run<R>(unit: UnitOfWork<R, Tx>): Promise<R> {
    if (this.options.maxUnits <= 1) return this.db.$transaction(unit);
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ unit, resolve: resolve as (result: unknown) => void, reject });
      this.startTransactions();
    });
  }

  private startTransactions(): void {
    while (this.inFlight < this.options.maxTransactions && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxUnits);
      this.inFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.startTransactions();
      });
    }
  }

  private async runBatch(batch: Waiting<Tx>[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]);
    let results: unknown[];
    try {
      results = await this.db.$transaction(async (tx) => {
        const done: unknown[] = [];
        for (const { unit } of batch) done.push(await unit(tx));
        return done;
      });
    } catch {
      // Rolled back as a whole; now each on its own, so only the failing unit
      // fails. One after another: this still counts as one transaction in
      // flight, and must not take a connection per unit from the pool.
      for (const waiting of batch) await this.runAlone(waiting);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index]));
  }

  private async runAlone({ unit, resolve, reject }: Waiting<Tx>): Promise<void> {
    try {
      resolve(await this.db.$transaction(unit));
    } catch (error) {
      reject(error);
    }
  }
}
