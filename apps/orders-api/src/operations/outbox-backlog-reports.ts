import { Inject, Injectable, Logger } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { OutboxBacklogReports, kvStreamName, kvSubject, natsServices, outboxBacklogReportSchema, type OutboxBacklogReport } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import { openOutboxBacklogBucket } from '#messaging';
import { withTimeout } from '#metrics';
import { summarizeOutboxBacklogs, type OutboxBacklogView } from './outbox-backlog-summary.js';

const ANSWER_WITHIN_MS = 2_000;

/**
 * Every service's outbox backlog, from the reports its instances put into
 * the outbox_backlog bucket (libs/messaging OutboxBacklogReporter): the
 * bucket's keys from one stream info, then each key's last report by direct
 * get, all at once. A bucket holds one key per live instance (entries expire
 * after the bucket's max age), so a read is a handful of requests.
 */
@Injectable()
export class OutboxBacklogReader {
  private readonly logger = new Logger(OutboxBacklogReader.name);
  private kv?: KV;

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async read(): Promise<OutboxBacklogView[]> {
    const reports = await withTimeout(this.readReports(), ANSWER_WITHIN_MS, 'NATS (outbox backlog reports)');
    return summarizeOutboxBacklogs(reports, natsServices(), Date.now(), OutboxBacklogReports.maxAgeMs);
  }

  private async readReports(): Promise<OutboxBacklogReport[]> {
    // Created if no service reported yet (this one's reporter starts at bootstrap too).
    const kv = (this.kv ??= await openOutboxBacklogBucket(this.connection));
    const jsm = await jetstreamManager(this.connection, { timeout: ANSWER_WITHIN_MS, checkAPI: false });
    const prefix = kvSubject(OutboxBacklogReports.bucket, '');
    const info = await jsm.streams.info(kvStreamName(OutboxBacklogReports.bucket), { subjects_filter: `${prefix}>` });
    const keys = Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length));
    const entries = await Promise.all(keys.map((key) => kv.get(key)));
    return entries.flatMap((entry) => {
      if (!entry || entry.operation !== 'PUT') return [];
      const parsed = outboxBacklogReportSchema.safeParse(safeJson(entry.string()));
      if (parsed.success) return [parsed.data];
      // Not a report this build understands (a newer schemaVersion, a hand-made put): shown as missing, said once per read.
      this.logger.warn(`outbox backlog report under ${entry.key} is not valid, left out: ${parsed.error.message}`);
      return [];
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
