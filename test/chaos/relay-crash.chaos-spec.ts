import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * Every service's outbox relay dies now and then between publishing a batch
 * and committing its "published" mark (FAULT_RELAY_CRASH_AFTER_PUBLISH_RATE:
 * the process SIGKILLs itself there), and a supervisor starts it again. The
 * rows stay unmarked, so the next relay publishes them again under the same
 * Nats-Msg-Id: the server answers `duplicate` and stores nothing, and nothing
 * downstream happens twice.
 */
const CRASH_RATE = 0.01;

describe('chaos: outbox relay killed between publish and mark-published', () => {
  const scenario = new ChaosScenario({
    name: 'relay-crash',
    title: `relays SIGKILL themselves after publishing, before committing (rate ${CRASH_RATE} per batch)`,
    commonEnv: { FAULT_RELAY_CRASH_AFTER_PUBLISH_RATE: String(CRASH_RATE) },
    autoRestart: true,
  });

  beforeAll(async () => {
    await scenario.run(async () => {}, { deadLetters: () => [] });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('did crash relays after they had published, and the services came back', () => {
    const { run } = scenario.result;
    const crashes = (['orders-api', 'payments', 'shipments'] as const).map(
      (service) => run.log(service).match(/FAULT_RELAY_CRASH_AFTER_PUBLISH/g)?.length ?? 0,
    );
    expect(crashes.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
