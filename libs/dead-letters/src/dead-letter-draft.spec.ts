import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { DeadLetterHeaders, Headers, OrderCreated, type EnvelopeOf } from '#contracts';
import { encodeEnvelope } from '#jetstream';
import type { ConsumerAdvisory } from './advisory.js';
import { DeadLetterLimits } from './constants.js';
import { deadLetterCopyHeaders, draftDeadLetter, type OriginalMessage } from './dead-letter-draft.js';

function orderCreated(): EnvelopeOf<typeof OrderCreated> {
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

const advisory = (kind: ConsumerAdvisory['kind'], deliveries = 1): ConsumerAdvisory => ({
  kind,
  stream: 'ORDERS',
  consumer: 'payments--orders-created',
  streamSeq: 42,
  deliveries,
});

function original(data: Uint8Array, headers: Record<string, string> = {}): OriginalMessage {
  return { subject: OrderCreated.subject, data, headers, time: new Date('2026-11-22T10:00:00Z') };
}

describe('draftDeadLetter', () => {
  it('says max_deliveries after max_deliver deliveries, whatever the body', () => {
    const event = orderCreated();
    const draft = draftDeadLetter(advisory('max_deliveries', 5), original(encodeEnvelope(event), { [Headers.MSG_ID]: event.id }));
    expect(draft).toMatchObject({
      reason: 'max_deliveries',
      deliveries: 5,
      eventId: event.id,
      eventType: OrderCreated.type,
      originalSubject: OrderCreated.subject,
      body: { dataEncoding: 'utf8', dataJson: event },
    });
    expect(draft.detail).toMatch(/5 deliveries/);
  });

  it('tells an invalid message from a permanent handler error by decoding it', () => {
    const invalid = draftDeadLetter(advisory('terminated'), original(encodeEnvelope({ ...orderCreated(), schemaVersion: 9 })));
    expect(invalid).toMatchObject({ reason: 'invalid', detail: 'unknown event orders.created v9' });
    const rejected = draftDeadLetter(advisory('terminated'), original(encodeEnvelope(orderCreated())));
    expect(rejected.reason).toBe('terminated');
    expect(draftDeadLetter({ ...advisory('terminated'), reason: 'no such customer' }, original(encodeEnvelope(orderCreated()))).detail).toBe(
      'no such customer',
    );
  });

  it('words what a hostile message carries so that PostgreSQL takes it: NUL and lone surrogates replaced, a long detail cut, the body kept as it came', () => {
    const type = `x\u0000\ud800${'t'.repeat(5_000)}`;
    const body = encodeEnvelope({ ...orderCreated(), type });
    const draft = draftDeadLetter(advisory('terminated'), original(body, { 'X-Note': 'a\u0000b' }));
    expect(draft.reason).toBe('invalid');
    expect(draft.detail).toMatch(/^type x\ufffd\ufffdt+… \(\d+ more characters\)$/);
    expect(draft.detail.length).toBeLessThan(DeadLetterLimits.detailLength + 30);
    expect(draft.eventType).toMatch(/^x\ufffd\ufffdt+… \(\d+ more characters\)$/);
    expect(draft.headers).toEqual({ 'X-Note': 'a\ufffdb' });
    // The escapes stay escapes in the text; only the jsonb copy is left out.
    expect(draft.body).toEqual({ data: new TextDecoder().decode(body), dataEncoding: 'utf8' });
  });

  it('still drafts a dead letter when the original has left its stream', () => {
    const draft = draftDeadLetter(advisory('terminated'), undefined);
    expect(draft).toMatchObject({ reason: 'terminated', originalSubject: null, body: null, eventId: null, headers: {} });
    expect(draft.detail).toMatch(/\(ORDERS #42\) was no longer in its stream/);
  });
});

describe('deadLetterCopyHeaders', () => {
  it('adds the Dlq headers and moves the original msg id out of JetStream’s way', () => {
    const event = orderCreated();
    const draft = draftDeadLetter(
      advisory('max_deliveries', 5),
      original(encodeEnvelope(event), { [Headers.MSG_ID]: event.id, [Headers.TRACEPARENT]: 'tp', 'Nats-Expected-Stream': 'ORDERS' }),
    );
    expect(deadLetterCopyHeaders(draft)).toEqual({
      [Headers.TRACEPARENT]: 'tp',
      [DeadLetterHeaders.REASON]: 'max_deliveries',
      [DeadLetterHeaders.DETAIL]: draft.detail,
      [DeadLetterHeaders.DELIVERIES]: '5',
      [DeadLetterHeaders.CONSUMER]: 'payments--orders-created',
      [DeadLetterHeaders.STREAM]: 'ORDERS',
      [DeadLetterHeaders.SEQUENCE]: '42',
      [DeadLetterHeaders.ORIGINAL_SUBJECT]: OrderCreated.subject,
      [DeadLetterHeaders.ORIGINAL_MSG_ID]: event.id,
    });
  });
});
