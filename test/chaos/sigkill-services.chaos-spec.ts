import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineServiceName } from '#local-infra';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * A service dies without warning (SIGKILL: no shutdown hook, no final ack, no
 * rollback) half-way through the orders and comes back a moment later.
 * Messages it had pulled but not acknowledged return after ack-wait; work it
 * had committed is not done again (inbox); orders-api's clients retry with
 * the same Idempotency-Key until it answers, and get the order they placed.
 */
const DOWNTIME_MS = 1_000;

describe.each<PipelineServiceName>(['payments', 'shipments', 'orders-api', 'analytics'])('chaos: SIGKILL %s mid-run', (service) => {
  const scenario = new ChaosScenario({ name: `kill-${service}`, title: `SIGKILL ${service} mid-run, restart it` });

  beforeAll(async () => {
    await scenario.run(
      async ({ pipeline, load, orders, note }) => {
        await load.whenAccepted(orders / 2);
        const handle = pipeline.services[service];
        const killedAfter = load.accepted.length;
        const killedAt = Date.now();
        await handle.kill();
        await sleep(DOWNTIME_MS);
        await handle.restart();
        note(`${service} SIGKILLed after ${killedAfter} orders, ready again after ${((Date.now() - killedAt) / 1_000).toFixed(1)} s`);
      },
      { deadLetters: () => [] },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  if (service === 'orders-api') {
    it('made clients retry while it was down, and every retry got the order it had placed', () => {
      const { run } = scenario.result;
      expect(run.accepted).toHaveLength(scenario.orders);
      // Accepted ids are distinct and no other order exists: checked by the invariants above.
      expect(run.accepted.some((order) => order.attempts > 1)).toBe(true);
    });
  }
});
