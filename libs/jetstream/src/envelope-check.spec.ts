import { describe, it, expect } from '@jest/globals';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { envelopeSchema } from '#contracts';
import { envelopePatterns, quickEnvelope } from './envelope-check.js';

function envelope(): Record<string, unknown> {
  const id = uuidv7();
  return {
    id,
    type: 'orders.created',
    schemaVersion: 1,
    occurredAt: '2026-11-26T13:00:00.123Z',
    aggregateId: id,
    correlationId: uuidv4(),
    causationId: id,
    payload: { orderId: id },
  };
}

/** Envelopes the schema refuses, one field wrong at a time. */
const invalid: Array<[string, (e: Record<string, unknown>) => void]> = [
  ['an id that is not a UUIDv7', (e) => (e.id = uuidv4())],
  ['an id that is not a string', (e) => (e.id = 7)],
  ['an empty type', (e) => (e.type = '')],
  ['a fractional schema version', (e) => (e.schemaVersion = 1.5)],
  ['a zero schema version', (e) => (e.schemaVersion = 0)],
  ['a schema version given as a string', (e) => (e.schemaVersion = '1')],
  ['an unsafe integer schema version', (e) => (e.schemaVersion = 2 ** 53)],
  ['a date without time', (e) => (e.occurredAt = '2026-11-26')],
  ['a date without offset', (e) => (e.occurredAt = '2026-11-26T13:00:00')],
  ['an impossible date', (e) => (e.occurredAt = '2026-02-30T13:00:00Z')],
  ['an aggregate id that is not a UUID', (e) => (e.aggregateId = 'order-1')],
  ['a missing correlation id', (e) => delete e.correlationId],
  ['a causation id in braces', (e) => (e.causationId = `{${uuidv4()}}`)],
];

describe('quick envelope check', () => {
  it('reads the patterns from the envelope schema', () => {
    expect(envelopePatterns).not.toBeNull();
  });

  it('accepts a valid envelope and returns what the schema returns, unknown fields dropped', () => {
    const valid = { ...envelope(), extra: 'dropped' };
    expect(quickEnvelope(valid)).toEqual(envelopeSchema.parse(valid));
    expect(quickEnvelope(valid)).not.toHaveProperty('extra');
  });

  it.each(invalid)('leaves %s to the schema, which refuses it', (_, spoil) => {
    const bad = envelope();
    spoil(bad);
    expect(quickEnvelope(bad)).toBeUndefined();
    expect(envelopeSchema.safeParse(bad).success).toBe(false);
  });

  it('leaves what is not an object, or has no payload, to the schema', () => {
    for (const json of [null, 'x', 1, [envelope()]]) expect(quickEnvelope(json)).toBeUndefined();
    const withoutPayload = envelope();
    delete withoutPayload.payload;
    expect(quickEnvelope(withoutPayload)).toBeUndefined();
  });

  it('leaves everything to the schema when the patterns could not be read', () => {
    expect(quickEnvelope(envelope(), null)).toBeUndefined();
  });
});
