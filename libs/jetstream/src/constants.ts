/**
 * Defaults of the JetStream transport, gathered in one place with the reason
 * for each value. Every one can be overridden through the options.
 */
export const JetStreamDefaults = {
  /**
   * How long the server waits for an ack before redelivering. Long enough for a
   * handler's database transaction under load, short enough that a crashed
   * worker's messages come back within a minute.
   */
  ackWaitMs: 30_000,
  /**
   * Deliveries per message before the server gives up and emits its
   * MAX_DELIVERIES advisory (then the message is dead-lettered): the first
   * attempt and two retries, what operators expect. Out-of-order events wait
   * in-process for their predecessor first, so they rarely spend a delivery.
   */
  maxDeliver: 3,
  /** Unacked messages one consumer may have outstanding across all instances. */
  maxAckPending: 1_000,
  /** Handlers running at once per consumer in one process (Postgres-bound work). */
  concurrency: 32,
  /**
   * Messages pulled per request. Kept near the concurrency so pulled messages
   * do not sit in a client buffer while their ack-wait runs.
   */
  pullBatch: 64,
  /**
   * Publishes awaiting a PubAck at once. One awaited round trip per message caps
   * a publisher near 6,600 msg/s here; 256 in flight keeps the link full
   * without letting a slow server pile up unbounded promises.
   */
  maxPublishesInFlight: 256,
  /** First retry delay after a handler error; doubles per delivery (with jitter). */
  retryBaseDelayMs: 250,
  /** Upper bound of a retry delay. */
  retryMaxDelayMs: 30_000,
  /**
   * How long a stream keeps events (limits retention: other consumers may
   * replay): 0 is for ever, so read models can be rebuilt from the start.
   * Services take STREAM_MAX_AGE_MS.
   */
  streamMaxAgeMs: 0,
  /** How long `close()` waits for running handlers before giving up on them. */
  drainTimeoutMs: 20_000,
} as const;

export interface ConsumerSettings {
  ackWaitMs: number;
  maxDeliver: number;
  maxAckPending: number;
  concurrency: number;
  pullBatch: number;
}

/**
 * Bounds on the work one message can cost the codec, whoever sent it. Every
 * body is read by every consumer of its subject, before anything knows
 * whether it is an event, so these hold for garbage as for events.
 */
export const CodecLimits = {
  /**
   * JSON values (objects, arrays, strings, numbers...) in one payload. The
   * schema check makes one issue per bad value, and a payload of a few
   * hundred thousand bad items (a 1 MB body of `{}`s) took 2.6 s and more
   * heap than a service has (it died, and the redelivery killed it again).
   * The largest payload of the contracts, an orders.created of the API's 100
   * lines, has about 410.
   */
  maxPayloadValues: 10_000,
  /**
   * Schema issues named in an invalid message's reason (the rest counted):
   * the reason goes into log lines, dead letters and their copies' headers.
   */
  maxIssuesDescribed: 10,
} as const;
