import type { DeadLetterReason, DeadLetterStatus } from '#contracts';
import type { Prisma } from '#database';
import { asHeaderRecord, type HeaderRecord } from './message-headers.js';

type DeadLetterRow = Prisma.DeadLetterEventGetPayload<object>;
type DeadLetterWithReplays = Prisma.DeadLetterEventGetPayload<{ include: { replays: true } }>;

/** A dead letter in a list: what happened, without the message itself. */
export interface DeadLetterSummary {
  id: string;
  sourceStream: string;
  streamSeq: number;
  consumer: string;
  originalSubject: string | null;
  reason: DeadLetterReason;
  detail: string | null;
  deliveries: number;
  eventId: string | null;
  eventType: string | null;
  status: DeadLetterStatus;
  discardReason: string | null;
  /** Why a RESOLVED dead letter needs nothing (its consumer applied the event all the same). */
  resolution: string | null;
  resolvedAt: string | null;
  replayCount: number;
  lastReplayedAt: string | null;
  deadLetterSeq: number | null;
  originalTime: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface DeadLetterReplayView {
  id: string;
  requestedAt: string;
  publishedMsgId: string;
  result: string;
  publishedSeq: number | null;
}

/** One dead letter with the message: body, decoded payload, headers, and its replays. */
export interface DeadLetterDetail extends DeadLetterSummary {
  /** The body as parsed JSON, when it is JSON; else null. */
  payload: unknown;
  /** The body as stored: text, or base64 when it is not UTF-8 text; null when the original was gone. */
  body: string | null;
  bodyEncoding: string;
  headers: HeaderRecord;
  replays: DeadLetterReplayView[];
}

export interface DeadLetterPage {
  items: DeadLetterSummary[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export function toSummary(row: DeadLetterRow): DeadLetterSummary {
  return {
    id: row.id,
    sourceStream: row.sourceStream,
    // Stream sequences are far below 2^53; numbers read better in JSON than strings.
    streamSeq: Number(row.streamSeq),
    consumer: row.consumer,
    originalSubject: row.originalSubject,
    reason: row.reason,
    detail: row.detail,
    deliveries: row.deliveries,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    discardReason: row.discardReason,
    resolution: row.resolution,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    replayCount: row.replayCount,
    lastReplayedAt: row.lastReplayedAt?.toISOString() ?? null,
    deadLetterSeq: row.deadLetterSeq === null ? null : Number(row.deadLetterSeq),
    originalTime: row.originalTime?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export function toDetail(row: DeadLetterWithReplays): DeadLetterDetail {
  return {
    ...toSummary(row),
    payload: row.dataJson ?? null,
    body: row.data,
    bodyEncoding: row.dataEncoding,
    headers: asHeaderRecord(row.headers),
    replays: row.replays.map((replay) => ({
      id: replay.id,
      requestedAt: replay.requestedAt.toISOString(),
      publishedMsgId: replay.publishedMsgId,
      result: replay.result,
      publishedSeq: replay.publishedSeq === null ? null : Number(replay.publishedSeq),
    })),
  };
}
