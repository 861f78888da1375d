import { Logger } from '@nestjs/common';
import type { SqlClient } from '#database';
import { rowsPruned } from '#metrics';
import { inboxTable, outboxTable, type ServiceSchema } from './service-schema.js';

export interface RetentionOptions {
  schema: ServiceSchema;
  /** Published outbox rows older than this (by published_at) are deleted. Unpublished rows never are. */
  outboxRetentionMs: number;
  /** Inbox rows older than this, both by the event's own time and by when it was applied, are deleted. */
  inboxRetentionMs: number;
  /** Time between passes; each pass deletes until it has caught up. */
  intervalMs: number;
  /** Rows one DELETE removes at most: short transactions, short locks. */
  batchRows?: number;
}

export interface PruneResult {
  outbox: number;
  inbox: number;
}

const DEFAULT_BATCH_ROWS = 5_000;

/**
 * Keeps the outbox and inbox from growing with history, so an order costs
 * the same on the millionth day as on the first.
 *
 * - Outbox: a row is needed until it is published (the relay re-sends it
 *   until then, and only then). A published row is history; it is kept for
 *   `outboxRetentionMs` for diagnosis, then deleted. An unpublished row is
 *   never deleted, however old.
 * - Inbox: a row is what makes a redelivery a duplicate, so it is needed as
 *   long as a copy of its event can still arrive: JetStream redelivers an
 *   unacked message within its deliveries (minutes), a relay re-sends a row
 *   it had not marked published (minutes), and an operator's replay of a dead
 *   letter is applied now and so recorded now. A row is deleted only when
 *   both its event is older than `inboxRetentionMs` (the event id is a
 *   UUIDv7, so the primary key orders by event time and the range is an index
 *   scan) and it was applied longer ago than that (a late event, such as a
 *   replay, keeps its row for the whole horizon after it was applied).
 *
 * Each DELETE takes at most `batchRows` rows and skips rows another
 * transaction holds (a relay's claimed batch, say), so pruning never waits
 * on, or blocks, the hot path. Several replicas may prune at once. Written by
 * hand: it is three statements, and partitioning (the alternative) would
 * change every table's key.
 */
export class RetentionPruner {
  private readonly logger: Logger;
  private readonly outbox: string;
  private readonly inbox: string;
  private readonly batchRows: number;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<unknown>;
  /** Set by stop(): no pass is scheduled any more, and one in progress ends after its current batch. */
  private stopped = false;

  constructor(
    private readonly db: SqlClient,
    private readonly options: RetentionOptions,
  ) {
    this.outbox = outboxTable(options.schema);
    this.inbox = inboxTable(options.schema);
    this.batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    this.logger = new Logger(`RetentionPruner(${options.schema})`);
  }

  start(): void {
    if (this.timer && !this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Waits for a pass in progress, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass: deletes, batch by batch, every row past its horizon at `now`. */
  async pruneOnce(now: Date = new Date()): Promise<PruneResult> {
    const outbox = await this.untilCaughtUp(() => this.pruneOutboxBatch(new Date(now.getTime() - this.options.outboxRetentionMs)));
    const inboxHorizon = new Date(now.getTime() - this.options.inboxRetentionMs);
    let inbox = 0;
    for (const consumer of await this.inboxConsumers()) {
      inbox += await this.untilCaughtUp(() => this.pruneInboxBatch(consumer, inboxHorizon));
    }
    if (outbox > 0) rowsPruned.inc({ schema: this.options.schema, table: 'outbox' }, outbox);
    if (inbox > 0) rowsPruned.inc({ schema: this.options.schema, table: 'inbox' }, inbox);
    return { outbox, inbox };
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.pass = this.pruneOnce()
        .catch((error: unknown) => this.logger.warn(`pruning failed, trying again in ${this.options.intervalMs} ms: ${(error as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.options.intervalMs);
    // A pending pass must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  private async untilCaughtUp(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await batch();
      total += deleted;
      if (deleted < this.batchRows || this.stopped) return total;
    }
  }

  private pruneOutboxBatch(horizon: Date): Promise<number> {
    // published_at < horizon excludes NULL: an unpublished row never matches.
    return this.db.$executeRawUnsafe(
      `DELETE FROM ${this.outbox} WHERE id IN (
         SELECT id FROM ${this.outbox} WHERE published_at < $1 ORDER BY published_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      horizon,
      this.batchRows,
    );
  }

  private pruneInboxBatch(consumer: string, horizon: Date): Promise<number> {
    return this.db.$executeRawUnsafe(
      `DELETE FROM ${this.inbox} WHERE consumer = $1 AND event_id IN (
         SELECT event_id FROM ${this.inbox}
         WHERE consumer = $1 AND event_id < $2::uuid AND processed_at < $3
         LIMIT $4 FOR UPDATE SKIP LOCKED)`,
      consumer,
      uuidV7Floor(horizon.getTime()),
      horizon,
      this.batchRows,
    );
  }

  /** The consumers with rows in the inbox, one index probe each (a loose index scan on the primary key). */
  private async inboxConsumers(): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<Array<{ consumer: string }>>(
      `WITH RECURSIVE consumers AS (
         (SELECT consumer FROM ${this.inbox} ORDER BY consumer LIMIT 1)
         UNION ALL
         SELECT (SELECT consumer FROM ${this.inbox} WHERE consumer > consumers.consumer ORDER BY consumer LIMIT 1)
         FROM consumers WHERE consumers.consumer IS NOT NULL
       )
       SELECT consumer FROM consumers WHERE consumer IS NOT NULL`,
    );
    return rows.map((row) => row.consumer);
  }
}

/**
 * The smallest UUIDv7 of the millisecond `epochMs`: every v7 id made at or
 * after it sorts at or above it (PostgreSQL compares uuids byte by byte, and
 * a v7 id starts with its 48-bit big-endian millisecond timestamp).
 */
export function uuidV7Floor(epochMs: number): string {
  const hex = Math.max(0, Math.floor(epochMs)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}
