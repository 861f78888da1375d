import type { ServiceName } from './services.js';

/**
 * Dead letters (DESIGN invariant 5): a message a consumer gave up on, either
 * after `max_deliver` failed deliveries or because it was terminated at once
 * (invalid, or a permanent handler error), is copied to the DEAD_LETTERS stream
 * and recorded in PostgreSQL, from where an operator can inspect and replay it.
 *
 * The dead-letter streams and their consumer are kept apart from `Streams` and
 * `Consumers`: they carry no pipeline events (advisories are the server's JSON,
 * dead letters are copies of any stream's messages), so the contracts' rules for
 * events (every subject is an event type, every consumer reads an event) do not
 * apply to them.
 */

/**
 * Subjects the server publishes its consumer advisories on, followed by
 * `<stream>.<consumer>`. Advisories are plain NATS messages: with nobody
 * subscribed they are gone, hence the DLQ_ADVISORIES stream that captures them.
 */
export const AdvisorySubjects = {
  /** A message was not acknowledged within `max_deliver` deliveries. */
  MAX_DELIVERIES: '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES',
  /** A message was terminated (`term()`): invalid, or a permanent handler error. */
  MSG_TERMINATED: '$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED',
} as const;

export interface DeadLetterStreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly description: string;
  /** How long the stream keeps a message (limits retention). */
  readonly maxAgeMs: number;
  /** The service whose dead-letter office reads (DLQ_ADVISORIES) or writes (DEAD_LETTERS) it. */
  readonly service: ServiceName;
}

const DAY_MS = 24 * 60 * 60_000;

export const DeadLetterStreams = {
  /**
   * Captures the advisories, so one emitted while no dead-letter handler runs
   * (a deploy, a crash) waits here instead of being lost. Kept as long as the
   * event streams: an advisory older than its message is of little use.
   */
  DLQ_ADVISORIES: {
    name: 'DLQ_ADVISORIES',
    subjects: [`${AdvisorySubjects.MAX_DELIVERIES}.>`, `${AdvisorySubjects.MSG_TERMINATED}.>`],
    description: 'Consumer advisories (max deliveries, terminated) awaiting the dead-letter handler',
    maxAgeMs: 7 * DAY_MS,
    service: 'orders-api',
  },
  /**
   * A copy of every dead-lettered message with its original headers plus the
   * Dlq-* headers. Kept long: the source streams drop the original after their
   * own max age, and this copy is what an operator can still read with
   * `nats stream get` when the table is not at hand.
   */
  DEAD_LETTERS: {
    name: 'DEAD_LETTERS',
    subjects: ['deadletters.>'],
    description: 'Copies of dead-lettered messages, one subject per source stream and consumer',
    maxAgeMs: 365 * DAY_MS,
    service: 'orders-api',
  },
} as const satisfies Record<string, DeadLetterStreamDefinition>;

export type DeadLetterStreamName = keyof typeof DeadLetterStreams;

export interface DeadLetterConsumerDefinition {
  readonly durable: string;
  readonly stream: DeadLetterStreamName;
  readonly filterSubject: string;
  readonly service: ServiceName;
  readonly description: string;
}

export const DeadLetterConsumers = {
  /** Turns each captured advisory into a dead letter (stream copy and table row). */
  advisories: {
    durable: 'orders-api--dead-letter-advisories',
    stream: 'DLQ_ADVISORIES',
    // Both advisory kinds; one filter because NATS 2.9 accepts a single one.
    filterSubject: '$JS.EVENT.ADVISORY.CONSUMER.>',
    service: 'orders-api',
    description: 'Records every max-deliveries and terminated advisory as a dead letter.',
  },
} as const satisfies Record<string, DeadLetterConsumerDefinition>;

/** The subject of a dead letter's copy: `deadletters.<stream>.<consumer>`. */
export function deadLetterSubject(stream: string, consumer: string): string {
  return `deadletters.${stream}.${consumer}`;
}

/**
 * `Nats-Msg-Id` of a dead letter's copy. One message given up by one consumer
 * is one dead letter, so handling the same advisory twice publishes one copy
 * (within the stream's duplicate window; the table's unique key covers later).
 */
export function deadLetterMsgId(stream: string, streamSeq: number, consumer: string): string {
  return `dlq:${stream}:${streamSeq}:${consumer}`;
}

/**
 * `Nats-Msg-Id` of the n-th replay of a dead letter: fresh per replay, so the
 * server does not drop it as a duplicate of the original, yet a retried
 * request for the same replay is dropped.
 */
export function replayMsgId(deadLetterId: string, replayNumber: number): string {
  return `replay:${deadLetterId}:${replayNumber}`;
}

/** Why a message was dead-lettered. */
export const DeadLetterReason = {
  /** Failed (or timed out) on every one of the consumer's `max_deliver` deliveries. */
  MAX_DELIVERIES: 'max_deliveries',
  /** Terminated because it is not a valid event (not JSON, bad envelope or payload, unknown type). */
  INVALID: 'invalid',
  /** A valid event the handler terminated as permanently failing. */
  TERMINATED: 'terminated',
} as const;

export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

/** What an operator has done with a dead letter. */
export const DeadLetterStatus = {
  PENDING: 'PENDING',
  REPLAYED: 'REPLAYED',
  DISCARDED: 'DISCARDED',
  /**
   * Nothing to do: the consumer applied the event all the same (another
   * delivery of the same event did, or the delivery's own last attempt
   * recorded the failure it gave up with). Kept for the record, with why.
   */
  RESOLVED: 'RESOLVED',
} as const;

export type DeadLetterStatus = (typeof DeadLetterStatus)[keyof typeof DeadLetterStatus];

/** Headers a dead letter's copy carries besides the original message's own. */
export const DeadLetterHeaders = {
  REASON: 'Dlq-Reason',
  /** The reason in words, e.g. the validation error of an invalid message. */
  DETAIL: 'Dlq-Detail',
  DELIVERIES: 'Dlq-Deliveries',
  CONSUMER: 'Dlq-Consumer',
  ORIGINAL_SUBJECT: 'Dlq-Original-Subject',
  STREAM: 'Dlq-Stream',
  /** The original message's sequence in its stream. */
  SEQUENCE: 'Dlq-Sequence',
  /** The original `Nats-Msg-Id` (the copy's own is the dead-letter id). */
  ORIGINAL_MSG_ID: 'Dlq-Original-Msg-Id',
} as const;
