import { Logger } from '@nestjs/common';
import pg from 'pg';
import { Headers, orderingKeyOf, type EventEnvelope } from '#contracts';
import { JetStreamPublisher, type OutgoingMessage } from '#jetstream';
import { isTracingEnabled, untraced } from '#telemetry';
import type { SqlClient, TransactionalSqlClient } from '#database';
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
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

const encoder = new TextEncoder();

/**
 * Publishes committed outbox rows to JetStream.
 *
 * A batch is claimed with `FOR UPDATE SKIP LOCKED`, so several relays (one per
 * replica) share the work without publishing a row twice at once. The rows stay
 * locked while their publishes are in flight and are marked published in the
 * same transaction. If the relay dies in between, the rows unlock unmarked and
 * are published again with the same `Nats-Msg-Id`: the server answers
 * `duplicate`, which counts as delivered.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly table: string;
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
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `SELECT id::text, subject, envelope, headers FROM ${this.table}
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        this.options.batchSize,
      );
      if (rows.length === 0) return 0;
      const results = await this.publisher.publishAll(rows.map(toMessage));
      this.maybeCrashAfterPublish(rows.length);
      const delivered = results.filter((r) => r.status !== 'failed').map((r) => r.msgId);
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

function toMessage(row: OutboxRow): OutgoingMessage {
  return {
    subject: row.subject,
    msgId: row.id,
    data: encoder.encode(JSON.stringify(row.envelope)),
    // The stored headers carry the trace context of the request or handler that wrote the row.
    headers: { ...row.headers, [Headers.MSG_ID]: row.id },
    // Only a span needs it (`order.id`, for finding an order's trace).
    orderId: isTracingEnabled() ? orderingKeyOf(row.envelope) : undefined,
  };
}
