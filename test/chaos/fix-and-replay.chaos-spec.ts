import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers, DeadLetterReason } from '#contracts';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { HANGING_PAYMENTS, hungOrders } from './support/hung-charges.js';
import { chargeGivenUp } from './support/invariants.js';
import { ChaosScenario, crashUnderSupervisor } from './support/scenario.js';
import { apiHeaders, type ApiEndpoint } from '#local-infra';

/**
 * The operator's way out of dead letters, as the README tells it: fix the
 * cause, then replay. payments hangs on the last delivery of some charges
 * (30 % gateway errors; FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT), so those
 * orders.created are dead-lettered and their orders wait PAYMENT_PENDING, as
 * in the hang-last-attempt scenario. Once the run has settled, the fix is
 * deployed: payments is killed and its supervisor starts it without the
 * fault and with a healthy gateway. Then every `max_deliveries` dead letter
 * of its consumer is replayed through the REST API. Every order must reach
 * its end with one payment, no dead letter may be left pending, and none may
 * be added.
 */
const ORDERS_CREATED = Consumers.paymentsOnInventoryReserved.durable;

describe('chaos: fix the hanging handler, then replay its dead letters', () => {
  const scenario = new ChaosScenario({
    name: 'fix-and-replay',
    title: 'payments hangs on the last delivery (30 % gateway errors); then restarted fixed, and its dead letters replayed',
    ...HANGING_PAYMENTS,
    autoRestart: ['payments'],
    // The fix: no hang, and a gateway that answers.
    autoRestartEnv: { FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'false', PAYMENT_GATEWAY_ERROR_RATE: '0' },
  });
  let replayed = 0;

  beforeAll(async () => {
    await scenario.run(async () => {}, {
      recovery: async (context) => {
        // Killed as a deployment would replace it; its supervisor starts it again with autoRestartEnv.
        await crashUnderSupervisor(context.pipeline.services.payments);
        replayed = await replayDeadLetters(context.pipeline.api);
        context.note(`payments restarted without the fault, ${replayed} dead letters replayed`);
      },
      deadLetters: (run) => hungOrders(run.log('payments')).map((orderId) => chargeGivenUp(run.facts, orderId, 'hung on the last delivery, then replayed', false)),
    });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('hung some charges, replayed exactly their dead letters, and left none pending', () => {
    const { run } = scenario.result;
    const hung = hungOrders(run.log('payments'));
    expect(hung.length).toBeGreaterThan(0);
    expect(replayed).toBe(hung.length);
    expect(run.deadLetters.map((deadLetter) => deadLetter.status)).toEqual(hung.map(() => 'REPLAYED'));
  });
});

/** POST /dead-letters/replay for the consumer's pending max_deliveries dead letters, page by page; how many were replayed. */
async function replayDeadLetters(api: ApiEndpoint): Promise<number> {
  let total = 0;
  for (;;) {
    const response = await fetch(`${api.url}/api/v1/dead-letters/replay`, {
      method: 'POST',
      headers: apiHeaders(api, { 'content-type': 'application/json' }),
      body: JSON.stringify({ consumer: ORDERS_CREATED, reason: DeadLetterReason.MAX_DELIVERIES }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`replaying dead letters answered ${response.status}: ${text}`);
    const { replayed } = JSON.parse(text) as { replayed: number };
    if (replayed === 0) return total;
    total += replayed;
  }
}
