import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { CATALOG_SKUS } from '#local-infra';
import { ChaosScenario } from './support/scenario.js';

/**
 * Every service's outbox relay dies once between publishing a batch and
 * committing its "published" mark (FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: the
 * process SIGKILLs itself after its Nth batch), and a supervisor starts it
 * again, with the fault off. The rows stay unmarked, so the next relay
 * publishes them again under the same Nats-Msg-Id: the server answers
 * `duplicate` and stores nothing, and nothing downstream happens twice.
 *
 * Why a count and small batches: a per-batch probability left it to chance
 * whether any relay crashed at all (at 1 % per batch, a run's 200 or so
 * batches crash none about one time in eight, and a CI run did). With at most
 * BATCH_SIZE rows a batch, each service needs more than CRASH_AT_BATCH batches
 * for its rows (orders-api publishes about 1,100, payments 400, shipments 2
 * per shipped order, inventory about five per order), so each one's relay
 * crashes. inventory's relay counts from later: before the first order, the
 * start-up restock of the catalog publishes up to one batch per product, and a
 * crash there would take down the pipeline's start, not a run.
 *
 * Why once: a SIGKILL costs every message the process held (pulled, not yet
 * acknowledged) one delivery. A relay crashing every CRASH_AT_BATCH batches
 * took orders-api down five times in 30 s, and a message held at three of
 * those crashes was dead-lettered (max_deliver 3): the crash loop the README
 * warns operators about, not the publish/commit gap this scenario is for.
 */
const BATCH_SIZE = 10;
const CRASH_AT_BATCH = 20;
const INVENTORY_CRASH_AT_BATCH = CRASH_AT_BATCH + CATALOG_SKUS.length;
const services = ['orders-api', 'payments', 'shipments', 'inventory'] as const;

describe('chaos: outbox relay killed between publish and mark-published', () => {
  const scenario = new ChaosScenario({
    name: 'relay-crash',
    title: `relays SIGKILL themselves after publishing their batch ${CRASH_AT_BATCH} (inventory's ${INVENTORY_CRASH_AT_BATCH}; of ${BATCH_SIZE} rows at most), before committing`,
    commonEnv: { OUTBOX_BATCH_SIZE: String(BATCH_SIZE), FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: String(CRASH_AT_BATCH) },
    env: { inventory: { FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: String(INVENTORY_CRASH_AT_BATCH) } },
    autoRestart: true,
    autoRestartEnv: { FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: '0' },
  });

  beforeAll(async () => {
    await scenario.run(async () => {}, { deadLetters: () => [] });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it("crashed every service's relay once after it had published, and the services came back", () => {
    const { run } = scenario.result;
    const crashes = services.map((service) => run.log(service).match(/FAULT_RELAY_CRASH_AFTER_PUBLISH/g)?.length ?? 0);
    expect(Object.fromEntries(services.map((service, i) => [service, crashes[i]]))).toEqual(Object.fromEntries(services.map((service) => [service, 1])));
  });
});
