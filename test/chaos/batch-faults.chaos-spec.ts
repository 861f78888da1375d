import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Consumers, DeadLetterReason, PaymentInitiated, type EventEnvelope } from '#contracts';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { publishEventForUnknownOrder } from './support/messages.js';
import { ChaosScenario } from './support/scenario.js';

/**
 * Faults inside the set-based units of work, where one transaction applies a
 * whole batch of events.
 *
 * Killed mid-batch: orders-api and shipments (the services whose consumers
 * take batches) SIGKILL themselves once, inside their third transaction that
 * applies two or more events, after every statement and before the COMMIT
 * (FAULT_CRASH_IN_BATCH_TRANSACTION); a supervisor starts them again with the
 * fault off. PostgreSQL rolls the transaction back, the batch's messages come
 * back after ack wait, and each must be applied exactly once.
 *
 * One poisoned event in a batch: well-formed payments.initiated events about
 * orders that do not exist are published while orders flow, so they reach
 * orders-api's payments consumer in batches with real events. Each fails on
 * every delivery (the order is not found) and is dead-lettered after its last;
 * the events beside it must commit as if it had not been there.
 */
const CRASH_AT_BATCH = 3;
const crashing = ['orders-api', 'shipments'] as const;
const POISONED = 4;

describe('chaos: a consumer killed in the middle of a batch transaction', () => {
  const scenario = new ChaosScenario({
    name: 'kill-mid-batch',
    title: `orders-api and shipments SIGKILL themselves inside their shared transaction ${CRASH_AT_BATCH}, before its COMMIT`,
    env: Object.fromEntries(crashing.map((service) => [service, { FAULT_CRASH_IN_BATCH_TRANSACTION: String(CRASH_AT_BATCH) }])),
    autoRestart: true,
    autoRestartEnv: { FAULT_CRASH_IN_BATCH_TRANSACTION: '0' },
  });

  beforeAll(async () => {
    await scenario.run(async () => {}, { deadLetters: () => [] });
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('killed each of them once with a batch open, and they came back', () => {
    const { run } = scenario.result;
    const crashes = crashing.map((service) => run.log(service).match(/FAULT_CRASH_IN_BATCH_TRANSACTION/g)?.length ?? 0);
    expect(Object.fromEntries(crashing.map((service, i) => [service, crashes[i]]))).toEqual(Object.fromEntries(crashing.map((service) => [service, 1])));
  });
});

describe('chaos: one poisoned event in a batch', () => {
  const scenario = new ChaosScenario({
    name: 'poison-in-batch',
    title: `${POISONED} well-formed payments.initiated for unknown orders, published among the real ones`,
  });
  const poisoned: EventEnvelope[] = [];

  beforeAll(async () => {
    await scenario.run(
      async ({ load, orders, nc, note }) => {
        await load.whenAccepted(orders / 2);
        for (let i = 0; i < POISONED; i++) {
          const orderId = randomUUID();
          const { envelope } = await publishEventForUnknownOrder(nc, PaymentInitiated, { paymentId: randomUUID(), orderId, amountCents: 100 });
          poisoned.push(envelope);
        }
        await load.done;
        note(`${poisoned.length} events about unknown orders on payments.initiated`);
      },
      {
        deadLetters: () =>
          poisoned.map((event) => ({
            label: `payments.initiated ${event.id} of unknown order ${event.aggregateId}, max_deliveries on ${Consumers.ordersOnPayments.durable}`,
            matches: (deadLetter) =>
              deadLetter.eventId === event.id &&
              deadLetter.consumer === Consumers.ordersOnPayments.durable &&
              deadLetter.reason === DeadLetterReason.MAX_DELIVERIES,
          })),
      },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);
});
