import { Logger, type OnApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { deadLettersRecorded, duplicatesSkipped, eventsProcessed, retriesScheduled } from './pipeline-metrics.js';
import { registeredProbes } from './probes.js';

/**
 * Writes one METRICS line every interval, for whoever reads logs rather than
 * Prometheus (the demo, a quick look at a pod):
 *
 *   METRICS processed=1200 acked=1190 retried=8 terminated=2 duplicates=3 retries=8 dead_letters=2 outbox_backlog=0 relay_lag_s=0.0
 *
 * Totals since the process started. 0 turns it off.
 */
export class MetricsSummaryLogger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs: number) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.logOnce(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async logOnce(): Promise<void> {
    try {
      this.logger.log(await summaryLine());
    } catch (error) {
      this.logger.warn(`METRICS line failed: ${(error as Error).message}`);
    }
  }
}

/** The METRICS line as it is logged. */
export async function summaryLine(): Promise<string> {
  const outcomes = await sumBy(eventsProcessed, 'outcome');
  const processed = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const outboxes = await Promise.allSettled(registeredProbes().map((probe) => probe.outbox()));
  const measured = outboxes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const backlog = measured.length === outboxes.length ? String(measured.reduce((a, o) => a + o.unpublished, 0)) : 'unknown';
  const lag = measured.length === outboxes.length ? Math.max(0, ...measured.map((o) => o.oldestAgeSeconds)).toFixed(1) : 'unknown';
  return [
    'METRICS',
    `processed=${processed}`,
    `acked=${outcomes['acked'] ?? 0}`,
    `retried=${outcomes['retried'] ?? 0}`,
    `terminated=${outcomes['terminated'] ?? 0}`,
    `duplicates=${await total(duplicatesSkipped)}`,
    `retries=${await total(retriesScheduled)}`,
    `dead_letters=${await total(deadLettersRecorded)}`,
    `outbox_backlog=${backlog}`,
    `relay_lag_s=${lag}`,
  ].join(' ');
}

async function total(counter: Counter<string>): Promise<number> {
  return (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);
}

async function sumBy(counter: Counter<string>, label: string): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const { labels, value } of (await counter.get()).values) {
    const key = String(labels[label]);
    sums[key] = (sums[key] ?? 0) + value;
  }
  return sums;
}
