import { describe, it, expect } from '@jest/globals';
import { Consumers, DeadLetterReason } from '#contracts';
import { compareDeadLetters, expectChargeGivenUp, expectPoisonTerminated, type DeadLetterSummary } from './dead-letters.js';

const payments = Consumers.paymentsOnInventoryReserved.durable;

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
  const expected = [expectPoisonTerminated(poison, payments), expectChargeGivenUp('order-1', 'event-1', 'gateway_unavailable', true)];

  it('accepts exactly the expected dead letters', () => {
    const actual = [
      deadLetter({ streamSeq: 7, reason: DeadLetterReason.INVALID, deliveries: 1 }),
      deadLetter({ streamSeq: 3, eventId: 'event-1', eventType: 'orders.created', status: 'RESOLVED' }),
    ];
    expect(compareDeadLetters(actual, expected)).toEqual({ expected: 2, actual: 2, problems: [] });
  });

  it('accepts a RESOLVED dead letter nobody expected (a twin applied its event), never an open one', () => {
    const actual = [
      deadLetter({ streamSeq: 7, reason: DeadLetterReason.INVALID, deliveries: 1 }),
      deadLetter({ streamSeq: 3, eventId: 'event-1', status: 'RESOLVED' }),
      deadLetter({ streamSeq: 5, eventId: 'event-5', status: 'RESOLVED' }),
      deadLetter({ streamSeq: 6, eventId: 'event-6', status: 'PENDING' }),
    ];
    expect(compareDeadLetters(actual, expected).problems).toEqual([expect.stringMatching(/^unexpected: PENDING max_deliveries ORDERS#6/)]);
  });

  it('tells a given-up charge that was applied (RESOLVED) from one left undone', () => {
    const undone = expectChargeGivenUp('order-1', 'event-1', 'hung', false);
    expect(undone.matches(deadLetter({ eventId: 'event-1', status: 'PENDING' }))).toBe(true);
    expect(undone.matches(deadLetter({ eventId: 'event-1', status: 'RESOLVED' }))).toBe(false);
    expect(expected[1]!.matches(deadLetter({ eventId: 'event-1', status: 'PENDING' }))).toBe(false);
  });

  it('reports a missing, a doubled and an unexpected dead letter', () => {
    const actual = [
      deadLetter({ streamSeq: 3, eventId: 'event-1', status: 'RESOLVED' }),
      deadLetter({ streamSeq: 9, eventId: 'event-1', status: 'RESOLVED' }),
      deadLetter({ streamSeq: 4, eventId: 'event-2', consumer: 'orders-api--shipments' }),
    ];
    const problems = compareDeadLetters(actual, expected).problems.join('\n');
    expect(problems).toMatch(/missing: poison message ORDERS#7/);
    expect(problems).toMatch(/2 dead letters for inventory.reserved of order order-1/);
    expect(problems).toMatch(/unexpected: PENDING max_deliveries ORDERS#4/);
  });

  it('does not take a poison dead letter of another reason or consumer for the expected one', () => {
    const actual = [deadLetter({ streamSeq: 7, reason: DeadLetterReason.MAX_DELIVERIES }), deadLetter({ streamSeq: 7, reason: DeadLetterReason.INVALID, consumer: 'x' })];
    expect(compareDeadLetters(actual, [expected[0]!]).problems).toHaveLength(3);
  });
});
