import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pipeline, PipelineServiceName } from '#local-infra';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { ChaosScenario, crashUnderSupervisor, type ScenarioContext } from './support/scenario.js';

/**
 * A service dies without warning (SIGKILL: no shutdown hook, no final ack, no
 * rollback) half-way through the orders and comes back a moment later.
 * Messages it had pulled but not acknowledged return after ack-wait; work it
 * had committed is not done again (inbox); orders-api's clients retry with
 * the same Idempotency-Key until it answers, and get the order they placed.
 */
const DOWNTIME_MS = 1_000;

type ServiceHandle = Pipeline['services'][PipelineServiceName];

/** Once half the orders are in, `kill` takes the service down and brings it back; the note says when it was ready again. */
async function killHalfWay({ pipeline, load, orders, note }: ScenarioContext, service: PipelineServiceName, kill: (handle: ServiceHandle) => Promise<void>): Promise<void> {
  await load.whenAccepted(orders / 2);
  const killedAfter = load.accepted.length;
  const killedAt = Date.now();
  await kill(pipeline.services[service]);
  note(`${service} SIGKILLed after ${killedAfter} orders, ready again after ${((Date.now() - killedAt) / 1_000).toFixed(1)} s`);
}

describe.each<PipelineServiceName>(['payments', 'shipments', 'orders-api', 'analytics'])('chaos: SIGKILL %s mid-run', (service) => {
  const scenario = new ChaosScenario({ name: `kill-${service}`, title: `SIGKILL ${service} mid-run, restart it` });

  beforeAll(async () => {
    await scenario.run(
      (context) =>
        killHalfWay(context, service, async (handle) => {
          await handle.kill();
          await sleep(DOWNTIME_MS);
          await handle.restart();
        }),
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

/**
 * inventory dies the same way, and its supervisor (not the test) starts it
 * again, as a container runtime would. It stands at both ends of the saga:
 * killed mid-run, it holds orders.created it had not acknowledged (a second
 * reservation would hold the stock twice) and shipments.dispatched and
 * payments.failed it had pulled (a second commit or release would take the
 * units out of stock twice, or give back what it no longer holds). Each must
 * be applied once: the inventory invariants (no oversell, every reservation
 * settled once, one settlement event each) are the ones this run is about.
 */
describe('chaos: SIGKILL inventory mid-run, its supervisor restarts it', () => {
  const scenario = new ChaosScenario({ name: 'kill-inventory', title: 'SIGKILL inventory mid-run, its supervisor restarts it', autoRestart: ['inventory'] });
  let inventory: ServiceHandle | undefined;

  beforeAll(async () => {
    await scenario.run(
      (context) =>
        killHalfWay(context, 'inventory', (handle) => {
          inventory = handle;
          return crashUnderSupervisor(handle);
        }),
      { deadLetters: () => [] },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('was killed once, and started again by its supervisor once', () => {
    expect({ exits: inventory?.unexpectedExits, restarts: inventory?.autoRestarts }).toEqual({ exits: 1, restarts: 1 });
  });
});
