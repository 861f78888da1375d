import { describe, it, expect } from '@jest/globals';
import { failedChecksIn } from './failed-checks.js';

describe('failedChecksIn', () => {
  it('reads the FAIL lines of a demo run and the problems under each, without the time prefix', () => {
    const output = [
      '[ 16.6s] PASS  every order reached a terminal state',
      '[ 16.6s] FAIL  dead letters: exactly one per poison message (5 listed, 4 expected)',
      '[ 16.6s]         unexpected: PENDING max_deliveries ORDERS#13 orders.created',
      '[ 16.6s] PASS  exactly one payment per order',
      '[ 16.6s] FAIL  (c) 8 redeliveries with a new Nats-Msg-Id were skipped',
      'Orders processed: 40 (expected 40)',
    ].join('\n');
    expect(failedChecksIn(output)).toEqual([
      'dead letters: exactly one per poison message (5 listed, 4 expected)\n  unexpected: PENDING max_deliveries ORDERS#13 orders.created',
      '(c) 8 redeliveries with a new Nats-Msg-Id were skipped',
    ]);
  });

  it('finds nothing in a run that passed', () => {
    expect(failedChecksIn('[ 1.0s] PASS  every order reached a terminal state\nAll checks passed.')).toEqual([]);
  });
});
