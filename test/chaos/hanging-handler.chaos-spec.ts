import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OrderState } from '#contracts';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { HANGING_PAYMENTS, hungOrders } from './support/hung-charges.js';
import { chargeGivenUp } from './support/invariants.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * A handler that hangs on the last attempt: the gateway fails some attempts
 * (30 %), and on the third delivery the payments handler never returns and
 * does not extend its lease (FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT). After
 * ack-wait the server gives the message up (MAX_DELIVERIES): it is
 * dead-lettered, and since no payment outcome was ever decided the order
 * stays PAYMENT_PENDING, waiting for an operator's replay. Exactly the hung
 * orders must be in that state with exactly one dead letter each; every
 * other order must end normally.
 */
describe('chaos: a handler that hangs past ack-wait on its last attempt', () => {
  const scenario = new ChaosScenario({
    name: 'hang-last-attempt',
    title: 'payments hangs on the last delivery (FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT), 30 % gateway errors',
    ...HANGING_PAYMENTS,
    killBeforeStop: ['payments'],
  });

  beforeAll(async () => {
    await scenario.run(async () => {}, {
      stuck: (run) => new Map(hungOrders(run.log('payments')).map((orderId) => [orderId, OrderState.PAYMENT_PENDING])),
      deadLetters: (run) => hungOrders(run.log('payments')).map((orderId) => chargeGivenUp(run.facts, orderId, 'hung on the last delivery', false)),
    });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('hung some charges, and exactly those orders are PAYMENT_PENDING', () => {
    const { run } = scenario.result;
    const hung = hungOrders(run.log('payments')).sort();
    const pending = [...run.facts.orders.values()].filter((order) => order.state === OrderState.PAYMENT_PENDING).map((order) => order.id).sort();
    expect(hung.length).toBeGreaterThan(0);
    expect(pending).toEqual(hung);
  });
});
