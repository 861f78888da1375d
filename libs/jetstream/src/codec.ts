import { envelopeSchema, findEventDefinition, type EventEnvelope } from '#contracts';
import { z } from 'zod';
import { InvalidMessageError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

/**
 * Parses and validates a message body: the envelope first, then the payload
 * against the schema registered for its type and version. The subject must
 * match the type, so a message cannot reach a handler for another event.
 */
export function decodeEnvelope(data: Uint8Array, subject: string): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch {
    throw new InvalidMessageError('body is not JSON');
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new InvalidMessageError('invalid envelope', describeIssues(envelope.error));
  }
  const { type, schemaVersion } = envelope.data;
  if (type !== subject) {
    throw new InvalidMessageError(`type ${type} does not match subject ${subject}`);
  }
  const definition = findEventDefinition(type, schemaVersion);
  if (!definition) {
    throw new InvalidMessageError(`unknown event ${type} v${schemaVersion}`);
  }
  const payload = definition.payload.safeParse(envelope.data.payload);
  if (!payload.success) {
    throw new InvalidMessageError(`invalid ${type} payload`, describeIssues(payload.error));
  }
  return { ...envelope.data, payload: payload.data };
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
