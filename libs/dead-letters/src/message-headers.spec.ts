import { describe, it, expect } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { asHeaderRecord, headersToRecord, recordToHeaders, republishableHeaders } from './message-headers.js';

describe('message headers', () => {
  it('keeps every value of a repeated header', () => {
    const headers = natsHeaders();
    headers.set('Nats-Msg-Id', 'abc');
    headers.append('X-Tag', 'a');
    headers.append('X-Tag', 'b');
    const record = headersToRecord(headers);
    expect(record).toEqual({ 'Nats-Msg-Id': 'abc', 'X-Tag': ['a', 'b'] });
    expect(headersToRecord(recordToHeaders(record))).toEqual(record);
    expect(headersToRecord(undefined)).toEqual({});
  });

  it('leaves JetStream’s own headers out of what is published again', () => {
    expect(
      republishableHeaders({
        'Nats-Msg-Id': 'abc',
        'Nats-Expected-Last-Sequence': '4',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      }),
    ).toEqual({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
  });

  it('puts multi-line values on one line, which NATS requires', () => {
    expect(recordToHeaders({ 'Dlq-Detail': 'invalid envelope:\nid: bad\r\ntype: missing' }).get('Dlq-Detail')).toBe(
      'invalid envelope: id: bad type: missing',
    );
  });

  it('reads a stored record back, ignoring what is not a string', () => {
    expect(asHeaderRecord({ a: 'x', b: ['y', 2], c: 3 })).toEqual({ a: 'x', b: ['y'] });
    expect(asHeaderRecord(null)).toEqual({});
    expect(asHeaderRecord(['a'])).toEqual({});
  });
});
