import { performance } from 'node:perf_hooks';
import { Counter, Histogram } from 'prom-client';

/**
 * The pipeline's counters, one instance per process on prom-client's default
 * registry (what GET /metrics serves). The libraries that do the work count
 * here directly: the transport, the inbox, the dead-letter recorder and the
 * payments service each add one line where the thing happens.
 */

/**
 * Outcome of one delivery: acked; retried (handed back, it will come again);
 * terminated (it will not: invalid, a permanent failure, or its last delivery failed).
 */
export type DeliveryOutcome = 'acked' | 'retried' | 'terminated';

export const eventsProcessed = new Counter({
  name: 'pipeline_events_processed_total',
  help: 'Deliveries settled by a consumer, by outcome (acked, retried, terminated)',
  labelNames: ['consumer', 'subject', 'outcome'] as const,
});

export const duplicatesSkipped = new Counter({
  name: 'pipeline_duplicates_skipped_total',
  help: 'Redelivered events the inbox recognised and skipped (the effect was not applied again)',
  labelNames: ['consumer', 'subject'] as const,
});

export const retriesScheduled = new Counter({
  name: 'pipeline_retries_scheduled_total',
  help: 'Failed deliveries handed back to the server for a delayed redelivery',
  labelNames: ['consumer', 'subject'] as const,
});

export const deadLettersRecorded = new Counter({
  name: 'pipeline_dead_letters_recorded_total',
  help: 'Messages a consumer gave up on, recorded by the dead-letter office, by reason',
  labelNames: ['consumer', 'reason'] as const,
});

/**
 * Round trips to PostgreSQL, by any path of the service (plain SQL, Prisma,
 * the relay): a query sent while the connection waits for no other starts
 * one; a query pipelined behind an unanswered one shares it (a transaction's
 * BEGIN and first statement). The benchmark divides it by the orders to show
 * what an order costs in round trips.
 * One increment per round trip, no labels, so it costs nothing to speak of.
 */
export const databaseRoundTrips = new Counter({
  name: 'db_round_trips_total',
  help: 'Round trips to PostgreSQL (a query pipelined behind an unanswered one shares its round trip)',
});

export const rowsPruned = new Counter({
  name: 'retention_rows_pruned_total',
  help: 'Outbox rows (published, past OUTBOX_RETENTION_MS) and inbox rows (past INBOX_RETENTION_MS) deleted by the retention pruner',
  labelNames: ['schema', 'table'] as const,
});

export const requestsShed = new Counter({
  name: 'http_requests_shed_total',
  help: 'Write requests refused at once with 503 by admission control, by reason (in_flight, outbox_backlog, pipeline_lag)',
  labelNames: ['reason'] as const,
});

export const paymentsSettled = new Counter({
  name: 'payments_settled_total',
  help: 'Payments settled by the payments service: succeeded (captured) or failed (declined or gateway gave out)',
  labelNames: ['outcome'] as const,
});

/**
 * Handler time per delivery, decode to settle. Buckets from 5 ms (an inbox
 * hit) to 30 s (the ack-wait lease), with the gateway's 50 ms to 2 s in between.
 */
export const handlerDuration = new Histogram({
  name: 'pipeline_handler_duration_seconds',
  help: 'Time a consumer spent handling one delivery, until it was settled',
  labelNames: ['consumer', 'subject'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/**
 * The metrics of one consumer's deliveries of one subject, bound to their
 * labels once (prom-client's `labels()`): the transport records two of these
 * per message, and keeps one instance per consumer and subject.
 */
export class DeliveryMetrics {
  private readonly processed: Readonly<Record<DeliveryOutcome, { inc(): void }>>;
  private readonly retries: { inc(): void };
  private readonly duration: { observe(seconds: number): void };

  constructor(consumer: string, subject: string) {
    const processed = (outcome: DeliveryOutcome) => eventsProcessed.labels({ consumer, subject, outcome });
    this.processed = { acked: processed('acked'), retried: processed('retried'), terminated: processed('terminated') };
    this.retries = retriesScheduled.labels({ consumer, subject });
    this.duration = handlerDuration.labels({ consumer, subject });
  }

  /** Counts one settled delivery; a retried one is also a scheduled retry. */
  count(outcome: DeliveryOutcome): void {
    this.processed[outcome].inc();
    if (outcome === 'retried') this.retries.inc();
  }

  /** Records how long one delivery's handling took (in a batch: the batch's). */
  observe(seconds: number): void {
    this.duration.observe(seconds);
  }

  /** Runs one delivery's handling and records how long it took, also when it throws. */
  async time<T>(work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.duration.observe((performance.now() - start) / 1_000);
    }
  }
}
