import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OrderState } from '#contracts';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { GATEWAY_UNAVAILABLE, chargeGivenUp, ordersFailedByGateway } from './support/invariants.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * A handler that always throws: the gateway fails every attempt
 * (PAYMENT_GATEWAY_ERROR_RATE=1). Each charge is retried with a delay until
 * the last delivery, then the payment fails (the order becomes FAILED with
 * gateway_unavailable) and the server gives the message up: one dead letter
 * per order, reason max_deliveries, and nothing else.
 */
describe('chaos: a handler that always throws', () => {
  const scenario = new ChaosScenario({
    name: 'always-throws',
    title: 'payment gateway errors on every attempt (PAYMENT_GATEWAY_ERROR_RATE=1)',
    paymentGatewayErrorRate: 1,
  });

  beforeAll(async () => {
    await scenario.run(async () => {}, {
      deadLetters: ({ facts }) => ordersFailedByGateway(facts).map((orderId) => chargeGivenUp(facts, orderId, GATEWAY_UNAVAILABLE, true)),
    });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('fails every order with gateway_unavailable, and dead-letters each one', () => {
    const { run, states, deadLetters } = scenario.result;
    expect(states).toEqual({ [OrderState.FAILED]: scenario.orders });
    expect(ordersFailedByGateway(run.facts)).toHaveLength(scenario.orders);
    expect(deadLetters.actual).toBe(scenario.orders);
  });
});
