import type { TransactionalSqlClient } from '#database';
import type { OutboxWriter } from '../outbox-writer.js';
import { runUnitsIsolated, type UnitBody, type UnitResult } from './shared-transaction.js';

export interface GroupCommitOptions {
  /** Units in one shared transaction at most. */
  maxUnits: number;
  /** Shared transactions in flight at once (each holds a pooled connection). */
  maxTransactions: number;
  /** TEST-ONLY (FAULT_CRASH_IN_BATCH_TRANSACTION): SIGKILL before the COMMIT of the Nth transport batch of two or more units. */
  crashInBatchTransaction?: number;
}

interface Waiting {
  body: UnitBody<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs units of work (see UnitOfWork) in shared transactions.
 *
 * `runAll`: the units of a transport batch, together now. `run`: one unit
 * that arrives on its own (an HTTP request, a message of a consumer that
 * handles messages one at a time) joins the units waiting while
 * `maxTransactions` shared transactions are in flight, and commits with them
 * in the next (group commit); when a transaction is free it starts at once,
 * alone, so grouping adds no wait of its own. Each unit resolves only after
 * the commit that applied it, and a failing one fails alone (runUnitsIsolated).
 * Hand-written for the same reason as runInSharedTransaction.
 */
export class UnitsOfWork {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private sharedBatches = 0;

  constructor(
    private readonly db: TransactionalSqlClient,
    private readonly outbox: OutboxWriter,
    private readonly options: GroupCommitOptions = { maxUnits: 64, maxTransactions: 2 },
  ) {}

  runAll<R>(bodies: ReadonlyArray<UnitBody<R>>): Promise<Array<UnitResult<R>>> {
    return runUnitsIsolated(this.db, this.outbox, bodies, bodies.length > 1 ? this.maybeCrash : undefined);
  }

  run<R>(body: UnitBody<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ body, resolve: resolve as (value: unknown) => void, reject });
      this.startTransactions();
    });
  }

  private startTransactions(): void {
    while (this.inFlight < this.options.maxTransactions && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.options.maxUnits);
      this.inFlight += 1;
      void this.commitGroup(group).finally(() => {
        this.inFlight -= 1;
        this.startTransactions();
      });
    }
  }

  /**
   * TEST-ONLY: the crash a batch must survive, on purpose: every statement
   * of a shared transaction sent, its COMMIT not. SIGKILL, so nothing runs
   * after it; the server rolls the transaction back, the messages come back
   * after ack wait, and each must then be applied exactly once.
   */
  private readonly maybeCrash = (): void => {
    const crashAt = this.options.crashInBatchTransaction ?? 0;
    if (crashAt <= 0 || ++this.sharedBatches < crashAt) return;
    // Synchronous on a pipe or file, so the line is out before the process is gone.
    process.stderr.write(`FAULT_CRASH_IN_BATCH_TRANSACTION: batch ${this.sharedBatches}, dying before its COMMIT\n`);
    process.kill(process.pid, 'SIGKILL');
  };

  private async commitGroup(group: Waiting[]): Promise<void> {
    let results: Array<UnitResult<unknown>>;
    try {
      results = await runUnitsIsolated(this.db, this.outbox, group.map((waiting) => waiting.body));
    } catch (error) {
      results = group.map(() => ({ ok: false, error }));
    }
    group.forEach((waiting, index) => {
      const result = results[index];
      if (result.ok) waiting.resolve(result.value);
      else waiting.reject(result.error);
    });
  }
}
