import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { OrderCreated, orderingKeyOf, type EnvelopeOf } from '#contracts';
import { decodeEnvelope, decodeMessage, encodeEnvelope } from './codec.js';
import { CodecLimits } from './constants.js';
import { InvalidMessageError } from './errors.js';

function event(): EnvelopeOf<typeof OrderCreated> {
  const id = uuidv7();
  return {
    id,
    type: OrderCreated.type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: id,
    correlationId: id,
    causationId: id,
    payload: { orderId: id, customerId: 'c', currency: 'EUR', lines: [{ sku: 'A', quantity: 1, unitPriceCents: 1 }], totalCents: 1 },
  };
}

function reasonFor(data: Uint8Array, subject: string = OrderCreated.subject): string {
  try {
    decodeEnvelope(data, subject);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidMessageError);
    return (error as Error).message;
  }
  throw new Error('expected the message to be rejected');
}

describe('envelope codec', () => {
  it('round-trips a valid event', () => {
    const original = event();
    expect(decodeEnvelope(encodeEnvelope(original), OrderCreated.subject)).toEqual(original);
  });

  it('hands the consumer the ordering key of the decoded event, as orderingKeyOf gives it', () => {
    const original = { ...event(), aggregateId: uuidv7() };
    const decoded = decodeMessage(encodeEnvelope(original), OrderCreated.subject);
    expect(decoded.orderingKey).toBe(orderingKeyOf(original));
    expect(decoded.envelope).toEqual(original);
  });

  it('rejects what is not JSON', () => {
    expect(reasonFor(new TextEncoder().encode('{'))).toBe('body is not JSON');
  });

  it('rejects a message published on another event’s subject', () => {
    expect(reasonFor(encodeEnvelope(event()), 'payments.succeeded')).toMatch(/does not match subject/);
  });

  it('rejects an unknown schema version', () => {
    expect(reasonFor(encodeEnvelope({ ...event(), schemaVersion: 2 }))).toBe('unknown event orders.created v2');
  });

  it('names the invalid payload field', () => {
    const bad = event();
    bad.payload.lines = [];
    expect(reasonFor(encodeEnvelope(bad))).toMatch(/^invalid orders.created payload: lines:/);
  });

  it('refuses a payload of more JSON values than CodecLimits allows before running its schema, in no time', () => {
    // A 1 MB orders.created of empty lines: one schema issue per line, more heap than a service has.
    const bad = event();
    (bad.payload as { lines: unknown[] }).lines = Array(300_000).fill({});
    const started = performance.now();
    expect(reasonFor(encodeEnvelope(bad))).toBe(`invalid orders.created payload: (root): more than ${CodecLimits.maxPayloadValues} JSON values`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('accepts a payload at the limit', () => {
    const big = event();
    // Four values per line, six besides the lines (the payload, its fields, the lines array).
    const lines = Math.floor((CodecLimits.maxPayloadValues - 6) / 4);
    big.payload.lines = Array.from({ length: lines }, () => ({ sku: 'A', quantity: 1, unitPriceCents: 1 }));
    expect(decodeEnvelope(encodeEnvelope(big), OrderCreated.subject).payload).toEqual(big.payload);
  });

  it('names the first issues of a payload and counts the rest', () => {
    const bad = event();
    (bad.payload as { lines: unknown[] }).lines = Array(50).fill({});
    const reason = reasonFor(encodeEnvelope(bad));
    expect(reason.split('; ')).toHaveLength(CodecLimits.maxIssuesDescribed + 1);
    expect(reason).toMatch(/^invalid orders.created payload: lines\.0\.sku: .*; and 140 more issues$/);
  });
});
