import { Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { registeredProbes, type ConsumerBacklog, type OutboxBacklogSample } from './probes.js';

/**
 * Gauges measured when Prometheus scrapes, from the registered probes (which
 * cache their answers briefly, so a scrape is cheap). A probe that fails, the
 * database or NATS being down, leaves its series out of that scrape rather
 * than reporting a made-up zero; readiness reports the outage.
 */

const logger = new Logger('Metrics');

async function outboxSamples(): Promise<OutboxBacklogSample[]> {
  const results = await Promise.allSettled(registeredProbes().map((probe) => probe.outbox()));
  return fulfilled(results, 'outbox backlog');
}

async function consumerSamples(): Promise<ConsumerBacklog[]> {
  const results = await Promise.allSettled(registeredProbes().map((probe) => probe.consumers()));
  return fulfilled(results, 'consumer info').flat();
}

function fulfilled<T>(results: PromiseSettledResult<T>[], what: string): T[] {
  for (const result of results) {
    if (result.status === 'rejected') logger.debug(`${what} not measured: ${(result.reason as Error).message}`);
  }
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

/** A gauge whose series are set from `samples` at each scrape; series that are gone disappear. */
function scrapedGauge<S, L extends string>(
  config: { name: string; help: string; labelNames: readonly L[] },
  samples: () => Promise<S[]>,
  series: (sample: S) => { labels: Record<L, string>; value: number },
): Gauge<L> {
  return new Gauge({
    ...config,
    async collect() {
      const current = (await samples()).map(series);
      this.reset();
      for (const { labels, value } of current) this.set(labels, value);
    },
  });
}

export const outboxBacklogRows = scrapedGauge(
  { name: 'outbox_backlog_rows', help: 'Outbox rows committed but not yet published, per service schema', labelNames: ['schema'] },
  outboxSamples,
  (o) => ({ labels: { schema: o.schema }, value: o.unpublished }),
);

export const outboxRelayLag = scrapedGauge(
  {
    name: 'outbox_relay_lag_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when the outbox is empty), per service schema',
    labelNames: ['schema'],
  },
  outboxSamples,
  (o) => ({ labels: { schema: o.schema }, value: o.oldestAgeSeconds }),
);

export const consumerPending = scrapedGauge(
  {
    name: 'jetstream_consumer_pending_messages',
    help: "Messages in the stream matching a durable consumer's filter and not yet delivered (num_pending)",
    labelNames: ['stream', 'durable'],
  },
  consumerSamples,
  (c) => ({ labels: { stream: c.stream, durable: c.durable }, value: c.numPending }),
);

export const consumerAckPending = scrapedGauge(
  {
    name: 'jetstream_consumer_ack_pending_messages',
    help: 'Messages delivered to a durable consumer and not yet acknowledged (num_ack_pending)',
    labelNames: ['stream', 'durable'],
  },
  consumerSamples,
  (c) => ({ labels: { stream: c.stream, durable: c.durable }, value: c.numAckPending }),
);
