import { Logger } from '@nestjs/common';
import DataLoader from 'dataloader';
import { withVersionRetry, type SqlClient, type TransactionalSqlClient } from '#database';
import { inCurrentTrace } from '#telemetry';
import type { KvPut, NewEvent, OutboxRow, OutboxWriter } from '../outbox-writer.js';
import type { EventEnvelope } from '#contracts';
import type { BatchQuery } from './batch-query.js';

/**
 * What one unit of work (one event, one request) sees of the transaction it
 * shares with the others of its batch. A unit reads as if it were alone
 * ("given this event, decide and emit"); its reads and writes are gathered
 * with those of every other unit of the batch into one set-based statement
 * per query and turn of the event loop, and its events into the batch's one
 * outbox insert.
 */
export interface UnitOfWork {
  /** Runs `query` for this input, batched with the other units' inputs to it. */
  read<In, Out>(query: BatchQuery<In, Out>, input: In): Promise<Out>;
  /**
   * The same for a statement that changes rows. A unit that fails after its
   * first write cannot be taken out of the batch alone (its rows are written),
   * so the whole batch rolls back and its units run again one by one.
   */
  write<In, Out>(statement: BatchQuery<In, Out>, input: In): Promise<Out>;
  /** Events and KV puts for the outbox, written with the batch's if this unit succeeds; returns the envelopes. */
  emit(events: readonly NewEvent[], kvPuts?: readonly KvPut[]): EventEnvelope[];
  /** Runs once the batch committed with this unit in it, never otherwise (operator log lines, metrics). */
  afterCommit(fn: () => void): void;
  /**
   * A write that takes back what this unit's reads left, should the unit fail
   * before its first write and so be left out of the commit (the inbox record
   * of its event). Batched with the other left-out units' before the commit.
   */
  onLeftOut<In>(statement: BatchQuery<In, unknown>, input: In): void;
}

/** How one unit of a shared transaction ended. */
export type UnitResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A unit's body: given its UnitOfWork, do the work and answer. */
export type UnitBody<R> = (uow: UnitOfWork) => Promise<R>;

const now = <T>(fn: () => Promise<T>): Promise<T> => fn();

class Unit implements UnitOfWork {
  wrote = false;
  readonly outboxRows: OutboxRow[] = [];
  readonly commitCallbacks: Array<() => void> = [];
  readonly undo: Array<{ statement: BatchQuery<unknown, unknown>; input: unknown }> = [];
  /** Runs code in the trace context the unit's work ran in (set by its first read or write). */
  inItsTrace?: <T>(fn: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly batch: BatchScope,
    private readonly outbox: OutboxWriter,
  ) {}

  read<In, Out>(query: BatchQuery<In, Out>, input: In): Promise<Out> {
    this.inItsTrace ??= inCurrentTrace(now);
    return this.batch.loaderFor(query).load(input);
  }

  write<In, Out>(statement: BatchQuery<In, Out>, input: In): Promise<Out> {
    this.wrote = true;
    return this.read(statement, input);
  }

  emit(events: readonly NewEvent[], kvPuts: readonly KvPut[] = []): EventEnvelope[] {
    const { envelopes, rows } = this.outbox.prepare(events, kvPuts);
    this.outboxRows.push(...rows);
    return envelopes;
  }

  afterCommit(fn: () => void): void {
    // In the trace of the unit (its message's span), though it runs after the shared commit.
    this.commitCallbacks.push(inCurrentTrace(fn));
  }

  onLeftOut<In>(statement: BatchQuery<In, unknown>, input: In): void {
    this.undo.push({ statement: statement as BatchQuery<unknown, unknown>, input });
  }
}

/**
 * The loaders of one transaction: one DataLoader per query, so every input
 * asked for in one turn of the event loop goes into one statement. DataLoader
 * (GraphQL's batching library) does the per-turn gathering; no cache, since
 * a read after a write of the same row must see the write.
 */
class BatchScope {
  private readonly loaders = new Map<BatchQuery<unknown, unknown>, DataLoader<unknown, unknown>>();
  /** The first statement error: the transaction is aborted after it, whatever the units did with it. */
  private failure?: { error: unknown };

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  constructor(private readonly tx: SqlClient) {}

  loaderFor<In, Out>(query: BatchQuery<In, Out>): DataLoader<In, Out> {
    let loader = this.loaders.get(query as BatchQuery<unknown, unknown>);
    if (!loader) {
      loader = new DataLoader<unknown, unknown>(
        async (inputs) => {
          try {
            return await (query as BatchQuery<unknown, unknown>).run(this.tx, inputs);
          } catch (error) {
            this.failure ??= { error };
            throw error;
          }
        },
        { cache: false },
      );
      this.loaders.set(query as BatchQuery<unknown, unknown>, loader);
    }
    return loader as DataLoader<In, Out>;
  }
}

/**
 * Runs units of work together in one transaction on `db`: their reads and
 * writes batched per query (BatchQuery), their outbox rows in one insert,
 * one COMMIT for all. Hand-written: it is the seam between the transport's
 * batches and set-based SQL, which no library covers (DataLoader does the
 * batching of calls).
 *
 * A unit that throws before it wrote anything is left out: its outbox rows
 * and commit callbacks are dropped, its onLeftOut writes run (the inbox
 * forgets its event), and the others commit. A unit that throws after a
 * write, or a statement error (the transaction is aborted), rolls the whole
 * transaction back and the error is thrown: see runUnitsIsolated.
 * `beforeCommit` runs when every statement is sent and the COMMIT is not
 * (test-only fault injection).
 */
export async function runInSharedTransaction<R>(
  db: TransactionalSqlClient,
  outbox: OutboxWriter,
  bodies: ReadonlyArray<UnitBody<R>>,
  beforeCommit?: () => void,
): Promise<Array<UnitResult<R>>> {
  let units: Unit[] = [];
  const results = await db.$transaction(async (tx) => {
    const scope = new BatchScope(tx);
    units = bodies.map(() => new Unit(scope, outbox));
    const settled = await Promise.allSettled(bodies.map((body, index) => body(units[index])));
    scope.throwIfFailed();
    const leftOut: Unit[] = [];
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      if (units[index].wrote) throw result.reason;
      leftOut.push(units[index]);
    });
    const committing = units.filter((_, index) => settled[index].status === 'fulfilled');
    // The statements the units share run in the trace of the first of them
    // (a span cannot have several parents): a trace shows its unit's own
    // reads and writes, and the batch's outbox insert in one of the traces.
    await (committing[0]?.inItsTrace ?? now)(async () => {
      await Promise.all(leftOut.flatMap((unit) => unit.undo).map(({ statement, input }) => scope.loaderFor(statement).load(input)));
      scope.throwIfFailed();
      await outbox.insert(tx, committing.flatMap((unit) => unit.outboxRows));
    });
    beforeCommit?.();
    return settled.map((result): UnitResult<R> => (result.status === 'fulfilled' ? { ok: true, value: result.value } : { ok: false, error: result.reason }));
  });
  results.forEach((result, index) => {
    if (result.ok) runCallbacks(units[index].commitCallbacks);
  });
  return results;
}

/**
 * runInSharedTransaction, with a lost version race run again from the start,
 * and, when the shared transaction fails as a whole, each unit again in a
 * transaction of its own, one after another (a lone unit must not take a
 * connection per unit from the pool): only the failing one fails.
 */
export async function runUnitsIsolated<R>(
  db: TransactionalSqlClient,
  outbox: OutboxWriter,
  bodies: ReadonlyArray<UnitBody<R>>,
  beforeCommit?: () => void,
): Promise<Array<UnitResult<R>>> {
  if (bodies.length === 0) return [];
  try {
    return await withVersionRetry(() => runInSharedTransaction(db, outbox, bodies, beforeCommit));
  } catch (error) {
    if (bodies.length === 1) return [{ ok: false, error }];
    const results: Array<UnitResult<R>> = [];
    for (const body of bodies) results.push(...(await runUnitsIsolated(db, outbox, [body])));
    return results;
  }
}

const logger = new Logger('UnitOfWork');

/** After the commit: one failing callback neither stops the others nor undoes the commit. */
function runCallbacks(callbacks: ReadonlyArray<() => void>): void {
  for (const fn of callbacks) {
    try {
      fn();
    } catch (error) {
      logger.error(`afterCommit callback failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
