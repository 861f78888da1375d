import { Logger } from '@nestjs/common';
import pg from 'pg';
import { Headers, orderIdOf, orderingKeyOf, type EventEnvelope } from '#contracts';
import { JetStreamPublisher, type OutgoingMessage } from '#jetstream';
import { isTracingEnabled, untraced } from '#telemetry';
import type { SqlClient, TransactionalSqlClient } from '#database';
import { KV_PUT_TYPE } from './outbox-writer.js';
import { outboxChannel, outboxTable, type ServiceSchema } from './service-schema.js';

export interface OutboxRelayOptions {
  schema: ServiceSchema;
  /** Connection string for the LISTEN connection (Prisma cannot LISTEN). */
  databaseUrl: string;
  batchSize: number;
  /** Poll anyway this often: a NOTIFY sent while LISTEN was reconnecting is lost. */
  pollIntervalMs: number;
  /**
   * TEST-ONLY fault (FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH, for the chaos tests):
   * kill the process between publishing its Nth batch and committing that
   * batch's mark. Omitted or 0: off.
   */
  crashAfterPublishBatch?: number;
}

interface OutboxRow {
  id: string;
  subject: string;
  type: string;
  aggregate_id: string;
  /** Null only on a row written before the column existed (then the key is read from its envelope). */
  ordering_key: string | null;
  /** The event's envelope (for a KV put, the value) as PostgreSQL stores it: JSON text, published as it is. */
  body: string;
  headers: Record<string, string>;
}

const encoder = new TextEncoder();

/**
 * How many batches' worth of the oldest unpublished rows a claim considers:
 * enough that rows of aggregates another relay holds can be passed over and a
 * full batch still found, few enough that a relay never locks a long
 * backlog's aggregates and starves the other replicas.
 */
export const CLAIM_CANDIDATE_BATCHES = 4;

/**
 * Publishes committed outbox rows to JetStream.
 *
 * A batch is claimed with `FOR UPDATE SKIP LOCKED`, so several relays (one per
 * replica) share the work without publishing a row twice at once. The rows stay
 * locked while their publishes are in flight and are marked published in the
 * same transaction. If the relay dies in between, the rows unlock unmarked and
 * are published again with the same `Nats-Msg-Id`: the server answers
 * `duplicate`, which counts as delivered.
 *
 * One aggregate's rows are published in the order they were written:
 * - a relay claims an aggregate's rows only when it holds that aggregate's
 *   advisory lock for the transaction, so two relays never publish one
 *   order's rows at the same time;
 * - within a batch, one order's rows are published one after another, and
 *   none after one of them failed (JetStreamPublisher.publishAll), so the
 *   next pass sends the failed one and those after it, in order;
 * - of several KV puts of one key in a batch, only the newest is published,
 *   the older ones are marked published unsent (superseded): after a crash
 *   the re-sent batch cannot put an older value over a newer one, even past
 *   the bucket's duplicate window.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly table: string;
  /** First key of the aggregates' advisory locks (hashed by PostgreSQL): one class per outbox, so services never contend. */
  private readonly lockClass: string;
  private listener?: pg.Client;
  private wake?: () => void;
  /** A NOTIFY arrived while a batch was in flight: go again instead of sleeping. */
  private notified = false;
  private running = false;
  /** Batches this process published; counted only for the test-only crash fault. */
  private publishedBatches = 0;
  private loop?: Promise<void>;

  constructor(
    private readonly db: TransactionalSqlClient,
    private readonly publisher: Pick<JetStreamPublisher, 'publishAll'>,
    private readonly options: OutboxRelayOptions,
  ) {
    this.table = outboxTable(options.schema);
    this.lockClass = `outbox:${options.schema}`;
    this.logger = new Logger(`OutboxRelay(${options.schema})`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in progress, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /**
   * Claims, publishes and marks one batch. Returns how many rows were
   * delivered (stored or recognised as duplicates by the server).
   */
  async publishBatch(): Promise<number> {
    // The rows stay locked while their publishes are acknowledged; the pool's
    // idle-in-transaction limit (60 s, see PrismaService) bounds a relay that
    // hangs there.
    return this.db.$transaction(async (tx) => {
      // Only the oldest CLAIM_CANDIDATE_BATCHES batches of unpublished rows
      // (read in id order from the partial index of unpublished rows) are
      // tried for their aggregate's advisory lock, held to the end of the
      // transaction; rows of an aggregate another relay holds are passed over,
      // and the first batch of the rest is claimed. So a claim reads, and a
      // relay locks, a bounded number of rows whatever the backlog. The
      // candidates are a prefix in id order, so an aggregate's earlier rows
      // are candidates too and its rows still go out in the order they were
      // written. The outer query checks published_at again because FOR UPDATE
      // re-reads it there: a candidate another relay marked meanwhile is
      // dropped, not sent twice. ORDER BY names the table's id: the output
      // column id is text.
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `WITH candidates AS (
           SELECT id FROM ${this.table} WHERE published_at IS NULL ORDER BY id LIMIT $1 * ${CLAIM_CANDIDATE_BATCHES}
         )
         SELECT o.id::text, o.subject, o.type, o.aggregate_id::text, o.ordering_key, o.envelope::text AS body, o.headers
           FROM ${this.table} AS o JOIN candidates USING (id)
          WHERE o.published_at IS NULL AND pg_try_advisory_xact_lock(hashtext($2), hashtext(o.aggregate_id::text))
          ORDER BY o.id LIMIT $1
            FOR UPDATE OF o SKIP LOCKED`,
        this.options.batchSize,
        this.lockClass,
      );
      if (rows.length === 0) return 0;
      const { toSend, superseded } = newestPutPerKey(rows);
      const results = await this.publisher.publishAll(toSend.map(toMessage));
      this.maybeCrashAfterPublish(rows.length);
      const delivered = [...superseded, ...results.filter((r) => r.status !== 'failed').map((r) => r.msgId)];
      await this.markPublished(tx, delivered);
      const failed = results.filter((r) => r.status === 'failed');
      if (failed.length > 0) await this.recordFailures(tx, failed);
      return delivered.length;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.ensureListening();
        // Rows committed before this pass starts are in it; only later NOTIFYs count.
        this.notified = false;
        // Each publish is traced, as part of the trace that wrote its row; the polling itself is not.
        const delivered = await untraced(() => this.publishBatch());
        // A full batch suggests more are waiting: go again without sleeping.
        if (delivered >= this.options.batchSize) continue;
      } catch (error) {
        this.logger.warn(`relay pass failed, retrying: ${(error as Error).message}`);
        await this.listener?.end().catch(() => undefined);
        this.listener = undefined;
      }
      await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async ensureListening(): Promise<void> {
    if (this.listener) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    client.on('error', () => {
      // The next pass notices the lost connection and listens again.
      this.listener = undefined;
    });
    await client.connect();
    await client.query(`LISTEN ${outboxChannel(this.options.schema)}`);
    this.listener = client;
  }

  private sleep(ms: number): Promise<void> {
    if (this.notified || !this.running) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /**
   * TEST-ONLY: the crash the outbox is built to survive, on purpose. SIGKILL,
   * so nothing runs after it (no rollback, no shutdown hook): the rows stay
   * unmarked, the next relay publishes them again and the server answers
   * `duplicate`. Off unless FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH is set.
   */
  private maybeCrashAfterPublish(published: number): void {
    const crashAt = this.options.crashAfterPublishBatch ?? 0;
    if (crashAt <= 0 || ++this.publishedBatches < crashAt) return;
    // Synchronous on a pipe or file, so the line is out before the process is gone.
    process.stderr.write(`FAULT_RELAY_CRASH_AFTER_PUBLISH ${this.options.schema}: ${published} published, dying before the commit\n`);
    process.kill(process.pid, 'SIGKILL');
  }

  private async markPublished(tx: SqlClient, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.$executeRawUnsafe(
      `UPDATE ${this.table} SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
      ids,
    );
  }

  private async recordFailures(tx: SqlClient, failed: Array<{ msgId: string; error: Error }>): Promise<void> {
    this.logger.warn(`${failed.length} publishes failed, will retry: ${failed[0].error.message}`);
    for (const { msgId, error } of failed) {
      await tx.$executeRawUnsafe(
        `UPDATE ${this.table} SET attempts = attempts + 1, last_error = $2 WHERE id = $1::uuid`,
        msgId,
        error.message,
      );
    }
  }
}

/**
 * The stored JSON goes out as it is: the relay neither parses nor re-encodes
 * an envelope (the writer validated it, and stored its ordering key beside
 * it). jsonb's text is canonical JSON, so consumers read the same event.
 */
function toMessage(row: OutboxRow): OutgoingMessage {
  return {
    subject: row.subject,
    msgId: row.id,
    data: encoder.encode(row.body),
    // The stored headers carry the trace context of the request or handler that wrote the row.
    headers: { ...row.headers, [Headers.MSG_ID]: row.id },
    orderingKey: row.ordering_key ?? storedBeforeOrderingKeys(row),
    // Only a span needs it (`order.id`, for finding an order's trace); worth a parse only then.
    orderId: isTracingEnabled() ? (row.type === KV_PUT_TYPE ? row.aggregate_id : orderIdOf(envelopeOf(row))) : undefined,
  };
}

/** The key of a row written before the writer stored keys: an event's consumers order by its ordering key, a KV put by its aggregate. */
function storedBeforeOrderingKeys(row: OutboxRow): string {
  return row.type === KV_PUT_TYPE ? row.aggregate_id : orderingKeyOf(envelopeOf(row));
}

function envelopeOf(row: OutboxRow): EventEnvelope {
  return JSON.parse(row.body) as EventEnvelope;
}

/** Of the KV puts of one key in a batch, the newest is sent; the others are superseded (their ids, to mark). */
function newestPutPerKey(rows: readonly OutboxRow[]): { toSend: OutboxRow[]; superseded: string[] } {
  const newest = new Map<string, OutboxRow>();
  // Rows come in id order (UUIDv7: write order), so the last put of a subject is its newest.
  for (const row of rows) if (row.type === KV_PUT_TYPE) newest.set(row.subject, row);
  const superseded: string[] = [];
  const toSend = rows.filter((row) => {
    if (row.type !== KV_PUT_TYPE || newest.get(row.subject) === row) return true;
    superseded.push(row.id);
    return false;
  });
  return { toSend, superseded };
}
