import type { ConsumerSettings } from '#jetstream';

/**
 * Settings of the advisory consumer, each with its reason. Dead letters are
 * rare and cheap to record (one read, one publish, one insert), so they are
 * handled one at a time; what matters is that none is ever given up.
 */
export const AdvisoryConsumerSettings = {
  /**
   * One advisory takes milliseconds. Short, because an advisory pulled by an
   * instance that then crashed is recorded only after this wait; a slow
   * database is handled by nak-and-retry, not by a long lease.
   */
  ackWaitMs: 10_000,
  /**
   * Unlimited (-1): giving up on an advisory would drop the record of a dead
   * letter. One that cannot be recorded (the database is down) is retried
   * with a growing delay until it can.
   */
  maxDeliver: -1,
  maxAckPending: 1_000,
  /** Handled one after another: a burst of dead letters is not a load problem. */
  concurrency: 1,
  /** Small, so pulled advisories do not wait long in the client while their ack-wait runs. */
  pullBatch: 16,
} as const satisfies ConsumerSettings;

/** Delays before an advisory that could not be recorded is tried again. */
export const AdvisoryRetry = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
} as const;

/** Environment variable that turns the advisory consumer of an instance off (default on). */
export const DEAD_LETTER_OFFICE_ENABLED = 'DEAD_LETTER_OFFICE_ENABLED';

/** Environment variable: how often open dead letters are checked against their consumers' inboxes (ms, default 2000; 0 off). */
export const DEAD_LETTER_RECONCILE_INTERVAL_MS = 'DEAD_LETTER_RECONCILE_INTERVAL_MS';

/**
 * Limits of what a dead letter stores from the message it describes, each
 * with its reason (see storable.ts).
 */
export const DeadLetterLimits = {
  /**
   * Nesting of a body stored as jsonb as well (`data_json`). Prisma's query
   * engine refuses JSON nested past 128 levels ("recursion limit exceeded")
   * and its client overflowed the stack at a few thousand; an event nests
   * four. Deeper bodies are kept as text only.
   */
  jsonDepth: 64,
  /** Characters of `detail` (the codec's reason names the message's own type, which can be a megabyte long). */
  detailLength: 2_000,
  /** Characters of `event_type`, read from an envelope that may be anything. */
  eventTypeLength: 200,
} as const;
