import { OrderState } from '#contracts';
import { HANG_MARKER } from '../../apps/payments/src/faults/payment-faults.js';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
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
const ACK_WAIT_MS = 2_000;

describe('chaos: a handler that hangs past ack-wait on its last attempt', () => {
  const scenario = new ChaosScenario({
    name: 'hang-last-attempt',
    title: 'payments hangs on the last delivery (FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT), 30 % gateway errors',
    paymentGatewayErrorRate: 0.3,
    env: {
      payments: {
        FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'true',
        CONSUMER_ACK_WAIT_MS: String(ACK_WAIT_MS),
        // Hung handlers keep their slot for good; enough slots that they never starve the rest.
        CONSUMER_CONCURRENCY: '128',
      },
    },
    killBeforeStop: ['payments'],
  });
  /** Orders whose charge hung, as the payments service logged them. */
  const hung = (log: string): string[] => [...new Set([...log.matchAll(new RegExp(`${HANG_MARKER} order=([0-9a-f-]{36})`, 'g'))].map((m) => m[1]!))];

  beforeAll(async () => {
    await scenario.run(async () => {}, {
      stuck: (run) => new Map(hung(run.log('payments')).map((orderId) => [orderId, OrderState.PAYMENT_PENDING])),
      deadLetters: (run) => hung(run.log('payments')).map((orderId) => chargeGivenUp(run.facts, orderId, 'hung on the last delivery')),
    });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('hung some charges, and exactly those orders are PAYMENT_PENDING', () => {
    const { run } = scenario.result;
    const hungOrders = hung(run.log('payments')).sort();
    const pending = [...run.facts.orders.values()].filter((order) => order.state === OrderState.PAYMENT_PENDING).map((order) => order.id).sort();
    expect(hungOrders.length).toBeGreaterThan(0);
    expect(pending).toEqual(hungOrders);
  });
});
