import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { OutboxBacklogReports, outboxBacklogKey, type OutboxBacklogReport, type ServiceName } from '#contracts';
import type { OutboxBacklog } from './outbox-backlog.js';

export interface OutboxBacklogReporterOptions {
  service: ServiceName;
  /** This process among the service's replicas; default: host name and pid (a pod's name in Kubernetes). */
  instance?: string;
  /** Default: the contracts' period, which the bucket's max_age is a multiple of. */
  reportEveryMs?: number;
}

/**
 * Puts this instance's measurement of its service's outbox backlog into the
 * outbox_backlog KV bucket (libs/contracts OutboxBacklogReports), once at
 * start and then once per period, for orders-api's operations API, which
 * cannot read other services' schemas. One query and one put per period,
 * whatever the traffic. A failed measurement or put is logged once per run
 * of failures and tried again next period; it never touches the service's
 * own work.
 */
export class OutboxBacklogReporter {
  private readonly logger = new Logger(OutboxBacklogReporter.name);
  private readonly instance: string;
  private readonly key: string;
  private readonly reportEveryMs: number;
  private kv?: KV;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private failing = false;

  constructor(
    private readonly backlog: Pick<OutboxBacklog, 'measure'>,
    private readonly connection: NatsConnection,
    private readonly options: OutboxBacklogReporterOptions,
  ) {
    this.instance = options.instance ?? `${hostname()}-${process.pid}`;
    this.key = outboxBacklogKey(options.service, this.instance);
    this.reportEveryMs = options.reportEveryMs ?? OutboxBacklogReports.reportEveryMs;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.reportEveryMs);
    // A report alone must not keep a process (or a test) alive.
    this.timer.unref();
    void this.tick();
  }

  /** Stops reporting, after the report in progress; the entry expires with the bucket's max_age. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Measures and puts one report (what each period does). */
  async report(): Promise<OutboxBacklogReport> {
    const measured = await this.backlog.measure();
    const report: OutboxBacklogReport = {
      schemaVersion: 1,
      service: this.options.service,
      instance: this.instance,
      backlog: measured.unpublished,
      oldestAgeSeconds: measured.oldestAgeSeconds,
      reportedAt: new Date().toISOString(),
    };
    const kv = (this.kv ??= await openOutboxBacklogBucket(this.connection));
    await kv.put(this.key, JSON.stringify(report));
    return report;
  }

  private async tick(): Promise<void> {
    // A slow database or server: skip a period rather than pile reports up.
    if (this.running) return;
    this.running = this.report()
      .then(() => {
        if (this.failing) this.logger.log('outbox backlog reports are put again');
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) this.logger.warn(`outbox backlog report failed, retrying every ${this.reportEveryMs} ms: ${(error as Error).message}`);
        this.failing = true;
      })
      .finally(() => (this.running = undefined));
    await this.running;
  }
}

/**
 * Opens the bucket, creating it when this is the first instance of any
 * service to report. In memory: a report is a few seconds' truth that every
 * instance puts again within one period, so a server restart loses nothing
 * worth a disk write per put.
 */
export function openOutboxBacklogBucket(connection: NatsConnection): Promise<KV> {
  return new Kvm(connection).create(OutboxBacklogReports.bucket, {
    history: 1,
    ttl: OutboxBacklogReports.maxAgeMs,
    storage: StorageType.Memory,
    description: OutboxBacklogReports.description,
  });
}
