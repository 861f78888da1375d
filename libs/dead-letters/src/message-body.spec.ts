import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { bodyBytes, eventIdentity, storedBody } from './message-body.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('storedBody', () => {
  it('keeps UTF-8 text as text, and JSON also as JSON', () => {
    expect(storedBody(text('{"a":1}'))).toEqual({ data: '{"a":1}', dataEncoding: 'utf8', dataJson: { a: 1 } });
    expect(storedBody(text('not json {'))).toEqual({ data: 'not json {', dataEncoding: 'utf8' });
    expect(storedBody(text('null'))).toEqual({ data: 'null', dataEncoding: 'utf8' });
  });

  it('keeps what PostgreSQL cannot hold as text (invalid UTF-8, NUL) as base64, byte for byte', () => {
    for (const body of [new Uint8Array([0xff, 0xfe, 0x41]), text('a\u0000b')]) {
      const stored = storedBody(body);
      expect(stored.dataEncoding).toBe('base64');
      expect(bodyBytes(stored.data, stored.dataEncoding)).toEqual(body);
    }
  });

  it('does not store JSON with a \\u0000 escape as jsonb, which PostgreSQL refuses', () => {
    expect(storedBody(text('{"a":"\\u0000"}'))).toEqual({ data: '{"a":"\\u0000"}', dataEncoding: 'utf8' });
  });

  it('does not store as jsonb what Prisma refuses (a lone surrogate escape) or cannot nest that deep', () => {
    for (const json of ['{"a":"\\ud800"}', '{"\\udfff":1}', `${'['.repeat(1_000)}${']'.repeat(1_000)}`]) {
      expect(storedBody(text(json))).toEqual({ data: json, dataEncoding: 'utf8' });
    }
  });

  it('round-trips text bodies', () => {
    const body = text('{"emoji":"☕"}');
    const stored = storedBody(body);
    expect(bodyBytes(stored.data, stored.dataEncoding)).toEqual(body);
  });
});

describe('eventIdentity', () => {
  it('takes id and type from the envelope, even an invalid one', () => {
    const id = uuidv7();
    expect(eventIdentity(text(JSON.stringify({ id, type: 'orders.created', schemaVersion: 'x' })), 'other')).toEqual({
      eventId: id,
      eventType: 'orders.created',
    });
  });

  it('falls back to a Nats-Msg-Id that is a UUID, and to nothing', () => {
    const msgId = uuidv7();
    expect(eventIdentity(text('garbage'), msgId)).toEqual({ eventId: msgId, eventType: null });
    expect(eventIdentity(text(JSON.stringify({ id: 'not-a-uuid', type: 7 })), 'garbage-1')).toEqual({ eventId: null, eventType: null });
  });
});
