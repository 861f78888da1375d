import { DeadLetterHeaders, DeadLetterReason, Headers } from '#contracts';
import { decodeEnvelope } from '#jetstream';
import type { ConsumerAdvisory } from './advisory.js';
import { eventIdentity, storedBody, type StoredBody } from './message-body.js';
import { DeadLetterLimits } from './constants.js';
import { republishableHeaders, type HeaderRecord } from './message-headers.js';
import { storableHeaders, storableText } from './storable.js';

/** The message a consumer gave up on, as read back from its stream. */
export interface OriginalMessage {
  subject: string;
  data: Uint8Array;
  headers: HeaderRecord;
  /** When the stream stored it. */
  time: Date;
}

/** Everything a dead letter records, before it has an id and a copy in DEAD_LETTERS. */
export interface DeadLetterDraft {
  sourceStream: string;
  streamSeq: number;
  consumer: string;
  originalSubject: string | null;
  reason: DeadLetterReason;
  detail: string;
  deliveries: number;
  eventId: string | null;
  eventType: string | null;
  body: StoredBody | null;
  headers: HeaderRecord;
  originalTime: Date | null;
}

/**
 * Decides what a dead letter says about a message. `original` is undefined
 * when the message had left its stream (max age, or deleted) before the
 * advisory was handled: the dead letter is still recorded from the advisory.
 * What it says in words (detail, type, subject, headers) comes from a message
 * anyone may have sent, and is made storable (storable.ts); the body is kept
 * as it came.
 */
export function draftDeadLetter(advisory: ConsumerAdvisory, original: OriginalMessage | undefined): DeadLetterDraft {
  const { reason, detail } = classify(advisory, original);
  const identity = original ? eventIdentity(original.data, msgIdOf(original.headers)) : { eventId: null, eventType: null };
  return {
    sourceStream: advisory.stream,
    streamSeq: advisory.streamSeq,
    consumer: advisory.consumer,
    originalSubject: original ? storableText(original.subject) : null,
    reason,
    detail: storableText(detail, DeadLetterLimits.detailLength),
    deliveries: advisory.deliveries,
    eventId: identity.eventId,
    eventType: identity.eventType === null ? null : storableText(identity.eventType, DeadLetterLimits.eventTypeLength),
    body: original ? storedBody(original.data) : null,
    headers: original ? storableHeaders(original.headers) : {},
    originalTime: original?.time ?? null,
  };
}

function classify(advisory: ConsumerAdvisory, original: OriginalMessage | undefined): { reason: DeadLetterReason; detail: string } {
  const gone = original
    ? ''
    : ` The original message (${advisory.stream} #${advisory.streamSeq}) was no longer in its stream when the advisory was handled (max age or deleted); only the advisory's facts are recorded.`;
  if (advisory.kind === 'max_deliveries') {
    return {
      reason: DeadLetterReason.MAX_DELIVERIES,
      detail: `not acknowledged in ${advisory.deliveries} deliveries (handler errors or ack-wait timeouts; see the consumer's logs).${gone}`,
    };
  }
  if (!original) return { reason: DeadLetterReason.TERMINATED, detail: `terminated by the consumer.${gone}` };
  // The transport terminates invalid messages and permanent handler errors
  // alike, and NATS 2.9 sends no reason: the codec tells the two apart.
  try {
    decodeEnvelope(original.data, original.subject);
  } catch (error) {
    return { reason: DeadLetterReason.INVALID, detail: error instanceof Error ? error.message : String(error) };
  }
  return {
    reason: DeadLetterReason.TERMINATED,
    detail: advisory.reason ?? 'terminated by the consumer as a permanent failure (see its logs)',
  };
}

/**
 * Headers of the copy in DEAD_LETTERS: the original's (without JetStream's
 * own, see republishableHeaders) plus the Dlq-* headers that say where it
 * came from and why it is here.
 */
export function deadLetterCopyHeaders(draft: DeadLetterDraft): HeaderRecord {
  const originalMsgId = msgIdOf(draft.headers);
  return {
    ...republishableHeaders(draft.headers),
    [DeadLetterHeaders.REASON]: draft.reason,
    [DeadLetterHeaders.DETAIL]: draft.detail,
    [DeadLetterHeaders.DELIVERIES]: String(draft.deliveries),
    [DeadLetterHeaders.CONSUMER]: draft.consumer,
    [DeadLetterHeaders.STREAM]: draft.sourceStream,
    [DeadLetterHeaders.SEQUENCE]: String(draft.streamSeq),
    ...(draft.originalSubject ? { [DeadLetterHeaders.ORIGINAL_SUBJECT]: draft.originalSubject } : {}),
    ...(originalMsgId ? { [DeadLetterHeaders.ORIGINAL_MSG_ID]: originalMsgId } : {}),
  };
}

function msgIdOf(headers: HeaderRecord): string | undefined {
  const value = headers[Headers.MSG_ID];
  return Array.isArray(value) ? value[0] : value;
}
