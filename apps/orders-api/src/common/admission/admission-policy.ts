/**
 * When orders-api takes new work, and when it refuses at once instead.
 *
 * Beyond what the pipeline can absorb, a request that is queued only waits:
 * the client times out or retries while the server still holds it, memory
 * grows with the queue, and a connection reset leaves the client not knowing
 * whether its order was taken. A fast 503 with a retry hint is better for
 * everyone: nothing was written, and a retry with the same Idempotency-Key is
 * safe. Three bounds:
 * - in-flight writes in this process: past it, requests would queue for the
 *   database pool (a short burst: retry soon);
 * - the service's outbox backlog: past it, the relay is behind (or NATS is
 *   away) and every accepted order only lengthens the line (retry later);
 * - the pipeline's lag, messages waiting in the durable consumers: past it,
 *   the services downstream are behind, and a new order would wait behind
 *   all of them (retry later).
 */
export interface AdmissionLimits {
  maxInFlight: number;
  maxOutboxBacklog: number;
  maxPipelineLag: number;
}

export interface AdmissionLoad {
  /** Write requests this process is working on, not counting the one asking. */
  inFlight: number;
  /** Unpublished outbox rows, as last measured. */
  outboxBacklog: number;
  /** Messages waiting in the pipeline's durable consumers, as last measured. */
  pipelineLag: number;
}

export type ShedReason = 'in_flight' | 'outbox_backlog' | 'pipeline_lag';

export type AdmissionDecision = { admit: true } | { admit: false; reason: ShedReason; retryAfterMs: number; message: string };

/** A burst of in-flight writes drains within a few transactions. */
export const IN_FLIGHT_RETRY_AFTER_MS = 250;
/** A relay or consumers that are behind need longer to catch up than one burst. */
export const BACKLOG_RETRY_AFTER_MS = 2_000;

export function admissionFor(load: AdmissionLoad, limits: AdmissionLimits): AdmissionDecision {
  if (load.inFlight >= limits.maxInFlight) {
    return refused('in_flight', IN_FLIGHT_RETRY_AFTER_MS, `${load.inFlight} write requests in progress (limit ${limits.maxInFlight})`);
  }
  if (load.outboxBacklog > limits.maxOutboxBacklog) {
    return refused('outbox_backlog', BACKLOG_RETRY_AFTER_MS, `${load.outboxBacklog} events wait to be published (limit ${limits.maxOutboxBacklog})`);
  }
  if (load.pipelineLag > limits.maxPipelineLag) {
    return refused('pipeline_lag', BACKLOG_RETRY_AFTER_MS, `${load.pipelineLag} messages wait in the pipeline's consumers (limit ${limits.maxPipelineLag})`);
  }
  return { admit: true };
}

function refused(reason: ShedReason, retryAfterMs: number, why: string): AdmissionDecision {
  return {
    admit: false,
    reason,
    retryAfterMs,
    message: `Overloaded: ${why}; nothing was changed, retry in ${retryAfterMs} ms (a POST with the same Idempotency-Key).`,
  };
}
