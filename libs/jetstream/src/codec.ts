import { envelopeSchema, findEventDefinition, orderingKeyBy, type EventEnvelope } from '#contracts';
import { z } from 'zod';
import { CodecLimits } from './constants.js';
import { quickEnvelope } from './envelope-check.js';
import { InvalidMessageError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

/** A delivered event and the key that orders its handling (orderingKeyOf). */
export interface DecodedMessage {
  envelope: EventEnvelope;
  orderingKey: string;
}

/**
 * Parses and validates a message body: the envelope first (a quick check for
 * the common valid case, else the schema), then the payload
 * against the schema registered for its type and version. The subject must
 * match the type, so a message cannot reach a handler for another event.
 * A payload of more than CodecLimits.maxPayloadValues JSON values is refused
 * before its schema is run on it.
 */
export function decodeEnvelope(data: Uint8Array, subject: string): EventEnvelope {
  return decodeMessage(data, subject).envelope;
}

/** decodeEnvelope, with the ordering key from the definition it looked up anyway (the consumer's per-message path). */
export function decodeMessage(data: Uint8Array, subject: string): DecodedMessage {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch {
    throw new InvalidMessageError('body is not JSON');
  }
  const envelope = quickEnvelope(json) ?? parseEnvelope(json);
  const { type, schemaVersion } = envelope;
  if (type !== subject) {
    throw new InvalidMessageError(`type ${type} does not match subject ${subject}`);
  }
  const definition = findEventDefinition(type, schemaVersion);
  if (!definition) {
    throw new InvalidMessageError(`unknown event ${type} v${schemaVersion}`);
  }
  if (countsMoreValues(envelope.payload, CodecLimits.maxPayloadValues)) {
    throw new InvalidMessageError(`invalid ${type} payload`, [`(root): more than ${CodecLimits.maxPayloadValues} JSON values`]);
  }
  const payload = definition.payload.safeParse(envelope.payload);
  if (!payload.success) {
    throw new InvalidMessageError(`invalid ${type} payload`, describeIssues(payload.error));
  }
  envelope.payload = payload.data;
  return { envelope, orderingKey: orderingKeyBy(definition, envelope) };
}

/** The schema's verdict, for what the quick check did not accept: it names the issues. */
function parseEnvelope(json: unknown): EventEnvelope {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new InvalidMessageError('invalid envelope', describeIssues(envelope.error));
  }
  return envelope.data;
}

function describeIssues(error: z.ZodError): string[] {
  const { issues } = error;
  const described = issues.slice(0, CodecLimits.maxIssuesDescribed).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more = issues.length - described.length;
  return more > 0 ? [...described, `and ${more} more issue${more === 1 ? '' : 's'}`] : described;
}

/** Whether `json` holds more than `limit` values, counted without recursion (a deep body must not overflow the stack) and no further than the limit. */
function countsMoreValues(json: unknown, limit: number): boolean {
  const pending: unknown[] = [json];
  let count = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    if (++count > limit) return true;
    if (value !== null && typeof value === 'object') {
      const children = Array.isArray(value) ? value : Object.values(value);
      if (count + pending.length + children.length > limit) return true;
      pending.push(...children);
    }
  }
  return false;
}
