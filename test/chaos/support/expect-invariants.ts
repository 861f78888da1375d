import { it, expect } from '@jest/globals';
import type { ChaosScenario } from './scenario.js';

/**
 * The checks every scenario makes, registered as one test each so that a
 * failure names the invariant that broke. Problems are listed in full: an
 * empty list is the only passing answer.
 */
export function itKeepsTheInvariants(scenario: ChaosScenario): void {
  it('loses no order: every accepted order reached its end (or exactly the expected ones stopped short)', () => {
    expect({ settledInTime: !scenario.result.run.timedOut }).toEqual({ settledInTime: true });
    expect(scenario.result.lost).toEqual([]);
  });

  it('applies no event twice: one order per key, one payment per order, one shipment per paid order, no repeated transition', () => {
    expect(scenario.result.doubleApplied).toEqual([]);
  });

  it('ends every order consistently: SHIPPED with a captured payment, FAILED with the matching payment and reason, CANCELLED refunded or never charged', () => {
    expect(scenario.result.inconsistent).toEqual([]);
  });

  it('never oversells: every product holds 0 <= reserved <= on hand, and on hand is the start stock minus the units shipped', () => {
    expect(scenario.result.stock).toEqual([]);
  });

  it('releases or commits every reservation exactly once: SHIPPED committed, FAILED released, one settlement event each in the stream, reserved units only for open orders', () => {
    expect(scenario.result.reservations).toEqual([]);
  });

  it('mirrors every order as it ended into the order_state KV bucket (never an older version)', () => {
    expect(scenario.result.mirrorBehind).toEqual([]);
  });

  it('counts every order in analytics once: its figures equal a recount from the orders', () => {
    expect(scenario.result.analyticsBehind).toEqual([]);
  });

  it('dead-letters exactly the messages that deserved it, each once', () => {
    expect(scenario.result.deadLetters.problems).toEqual([]);
  });
}
