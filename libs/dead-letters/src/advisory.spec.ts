import { describe, it, expect } from '@jest/globals';
import { AdvisorySubjects } from '#contracts';
import { InvalidAdvisoryError, parseAdvisory } from './advisory.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

// As NATS 2.9.10 sends them (fields we do not use left in, to show they are ignored).
const maxDeliveries = {
  type: 'io.nats.jetstream.advisory.v1.max_deliver',
  id: 'W3fNSgXCHsKG6ZDaBSVJqr',
  timestamp: '2026-11-22T03:13:36.95Z',
  stream: 'ORDERS',
  consumer: 'payments--orders-created',
  stream_seq: 7,
  deliveries: 5,
};
const terminated = { ...maxDeliveries, type: 'io.nats.jetstream.advisory.v1.terminated', consumer_seq: 9, deliveries: 1 };

describe('parseAdvisory', () => {
  it('reads a MAX_DELIVERIES advisory', () => {
    expect(parseAdvisory(`${AdvisorySubjects.MAX_DELIVERIES}.ORDERS.payments--orders-created`, json(maxDeliveries))).toEqual({
      kind: 'max_deliveries',
      stream: 'ORDERS',
      consumer: 'payments--orders-created',
      streamSeq: 7,
      deliveries: 5,
    });
  });

  it('reads a MSG_TERMINATED advisory, with the reason newer servers send', () => {
    const subject = `${AdvisorySubjects.MSG_TERMINATED}.ORDERS.payments--orders-created`;
    expect(parseAdvisory(subject, json(terminated))).toMatchObject({ kind: 'terminated', streamSeq: 7, deliveries: 1 });
    expect(parseAdvisory(subject, json({ ...terminated, reason: 'no such customer' })).reason).toBe('no such customer');
  });

  it('refuses what is not a consumer advisory, naming the problem', () => {
    const subject = `${AdvisorySubjects.MAX_DELIVERIES}.ORDERS.x`;
    expect(() => parseAdvisory('orders.created', json(maxDeliveries))).toThrow(InvalidAdvisoryError);
    expect(() => parseAdvisory(subject, new TextEncoder().encode('{'))).toThrow(/not JSON/);
    expect(() => parseAdvisory(subject, json({ ...maxDeliveries, stream_seq: 0, consumer: undefined }))).toThrow(
      /consumer: .*stream_seq: /,
    );
  });
});
