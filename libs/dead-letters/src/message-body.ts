import { validate as isUuid } from 'uuid';
import type { Prisma } from '#database';
import { isStorableJson } from './storable.js';

/** How a dead letter's body is stored in its `data` column. */
export type BodyEncoding = 'utf8' | 'base64';

export interface StoredBody {
  data: string;
  dataEncoding: BodyEncoding;
  /** The body parsed as JSON, when it is JSON that PostgreSQL's jsonb (and Prisma) accept: see isStorableJson. */
  dataJson?: Prisma.InputJsonValue;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The original body in a form PostgreSQL keeps byte for byte: text when it is
 * UTF-8 without NUL characters (text columns refuse NUL), base64 otherwise, so
 * a replay publishes exactly what was received. Nothing is dropped.
 */
export function storedBody(body: Uint8Array): StoredBody {
  const text = decodeText(body);
  if (text === undefined) return { data: Buffer.from(body).toString('base64'), dataEncoding: 'base64' };
  const json = parseJson(text);
  return { data: text, dataEncoding: 'utf8', ...(json === undefined ? {} : { dataJson: json }) };
}

/** The bytes `storedBody` was made from. */
export function bodyBytes(data: string, encoding: string): Uint8Array {
  return encoding === 'base64' ? new Uint8Array(Buffer.from(data, 'base64')) : new TextEncoder().encode(data);
}

function decodeText(body: Uint8Array): string | undefined {
  try {
    const text = strictUtf8.decode(body);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): Prisma.InputJsonValue | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // jsonb refuses the \u0000 escape, Prisma a lone surrogate and deep nesting; such a body stays text only.
  return value === null || !isStorableJson(value) ? undefined : (value as Prisma.InputJsonValue);
}

export interface EventIdentity {
  eventId: string | null;
  eventType: string | null;
}

/**
 * Which event a message was, as far as it can be told: the envelope's id and
 * type when the body has them (even an invalid envelope often does), else the
 * `Nats-Msg-Id`, which the outbox sets to the event id.
 */
export function eventIdentity(body: Uint8Array, msgId: string | undefined): EventIdentity {
  const envelope = envelopeFields(body);
  const id = [envelope.id, msgId].find((candidate) => typeof candidate === 'string' && isUuid(candidate));
  return {
    eventId: typeof id === 'string' ? id.toLowerCase() : null,
    eventType: typeof envelope.type === 'string' && envelope.type.length > 0 ? envelope.type : null,
  };
}

function envelopeFields(body: Uint8Array): { id?: unknown; type?: unknown } {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(body));
    return json !== null && typeof json === 'object' ? (json as { id?: unknown; type?: unknown }) : {};
  } catch {
    return {};
  }
}
