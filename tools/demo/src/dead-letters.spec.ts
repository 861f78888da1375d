import { describe, it, expect } from '@jest/globals';
import { Consumers, DeadLetterReason } from '#contracts';
import { compareDeadLetters, expectChargeGivenUp, expectPoisonTerminated, type DeadLetterSummary } from './dead-letters.js';

const payments = Consumers.paymentsOnOrderCreated.durable;

function deadLetter(overrides: Partial<DeadLetterSummary>): DeadLetterSummary {
  return {
    id: `dl-${Math.random()}`,
    sourceStream: 'ORDERS',
    streamSeq: 1,
    consumer: payments,
    originalSubject: 'orders.created',
    reason: DeadLetterReason.MAX_DELIVERIES,
    deliveries: 3,
    eventId: null,
    eventType: null,
    status: 'PENDING',
    ...overrides,
  };
}

describe('compareDeadLetters', () => {
  const poison = { stream: 'ORDERS', seq: 7, subject: 'orders.created' };
  const expected = [expectPoisonTerminated(poison, payments), expectChargeGivenUp('order-1', 'event-1', 'gateway_unavailable')];

  it('accepts exactly the expected dead letters', () => {
    const actual = [
      deadLetter({ streamSeq: 7, reason: DeadLetterReason.INVALID, deliveries: 1 }),
      deadLetter({ streamSeq: 3, eventId: 'event-1', eventType: 'orders.created' }),
    ];
    expect(compareDeadLetters(actual, expected)).toEqual({ expected: 2, actual: 2, problems: [] });
  });

  it('reports a missing, a doubled and an unexpected dead letter', () => {
    const actual = [
      deadLetter({ streamSeq: 3, eventId: 'event-1' }),
      deadLetter({ streamSeq: 9, eventId: 'event-1' }),
      deadLetter({ streamSeq: 4, eventId: 'event-2', consumer: 'orders-api--shipments' }),
    ];
    const problems = compareDeadLetters(actual, expected).problems.join('\n');
    expect(problems).toMatch(/missing: poison message ORDERS#7/);
    expect(problems).toMatch(/2 dead letters for orders.created of order order-1/);
    expect(problems).toMatch(/unexpected: max_deliveries ORDERS#4/);
  });

  it('does not take a poison dead letter of another reason or consumer for the expected one', () => {
    const actual = [deadLetter({ streamSeq: 7, reason: DeadLetterReason.MAX_DELIVERIES }), deadLetter({ streamSeq: 7, reason: DeadLetterReason.INVALID, consumer: 'x' })];
    expect(compareDeadLetters(actual, [expected[0]!]).problems).toHaveLength(3);
  });
});
