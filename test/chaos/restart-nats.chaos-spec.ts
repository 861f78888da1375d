import { describe, beforeAll, afterAll } from '@jest/globals';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * The broker goes away half-way through and comes back from its store on disk
 * (same port, same JetStream directory). Publishes and acks in flight are lost:
 * the relays publish again (the server's duplicate window drops what it had
 * already stored), the consumers get unacknowledged messages again after
 * ack-wait, and every service reconnects on its own.
 */
describe('chaos: restart the NATS server mid-run', () => {
  const scenario = new ChaosScenario({ name: 'restart-nats', title: 'restart the NATS server (JetStream on disk) mid-run' });

  beforeAll(async () => {
    await scenario.run(
      async ({ pipeline, load, orders, note }) => {
        await load.whenAccepted(orders / 2);
        const at = load.accepted.length;
        const startedAt = Date.now();
        await pipeline.nats.restart();
        note(`NATS restarted after ${at} orders, accepting again after ${((Date.now() - startedAt) / 1_000).toFixed(1)} s`);
      },
      { deadLetters: () => [] },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);
});
