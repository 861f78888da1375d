import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadLetterStatus, InventoryReserved, OrderCreated } from '#contracts';
import { expectReplayed, listDeadLetters, replayDeadLetters, type DeadLetterSummary } from '../../tools/demo/src/dead-letters.js';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { republishEveryEvent } from './support/messages.js';
import { ChaosScenario, eventually, type ScenarioContext } from './support/scenario.js';

/**
 * The failure demo's mix over a few hundred orders: 30 % gateway errors,
 * every orders.created and every inventory.reserved published a second time
 * under a new Nats-Msg-Id (a twin, as soon as the original is in its stream,
 * so the two are often reserved, or charged, at the same time), and payments
 * SIGKILLed mid-run. A dead letter
 * must mean work left undone: none may stay open for an event its consumer
 * applied (a twin that lost the race is acknowledged as a duplicate, or its
 * dead letter is RESOLVED), and every one that is open must replay to a
 * completed order. So once the run settles, the open ones are checked
 * against the consumers' inboxes and replayed, and the run must settle again
 * with every order ended, none lost and none applied twice.
 */
const ORDERS = 300;
const DOWNTIME_MS = 1_000;

describe('chaos: twins of every order under gateway errors and a SIGKILL', () => {
  const scenario = new ChaosScenario({
    name: 'twins-under-faults',
    title: 'every orders.created and inventory.reserved re-sent under a new msg id, 30 % gateway errors, payments SIGKILLed mid-run; open dead letters replayed',
    orders: ORDERS,
    paymentGatewayErrorRate: 0.3,
  });
  /** The events twinned, by subject: orders.created (reserved twice?) and inventory.reserved (charged twice?). */
  let twinned: Record<typeof OrderCreated.subject | typeof InventoryReserved.subject, Set<string>>;
  let openBeforeReplay: DeadLetterSummary[] = [];
  let appliedButOpen: DeadLetterSummary[] = [];
  let replayed: string[] = [];

  beforeAll(async () => {
    await scenario.run(
      async ({ pipeline, load, orders, nc, note }) => {
        const twins = await republishEveryEvent(nc, [OrderCreated, InventoryReserved]);
        twinned = twins.copied;
        await load.whenAccepted(orders / 2);
        const payments = pipeline.services.payments;
        await payments.kill();
        await sleep(DOWNTIME_MS);
        await payments.restart();
        await load.done;
        await eventually('a twin of every orders.created and inventory.reserved', () => Object.values(twinned).every((events) => events.size === orders), 60_000);
        await twins.stop();
        note(`${twinned[OrderCreated.subject].size} orders.created and ${twinned[InventoryReserved.subject].size} inventory.reserved re-sent under new msg ids; payments SIGKILLed after ${orders / 2} orders`);
      },
      {
        recovery: async (context) => {
          openBeforeReplay = await openDeadLetters(context);
          appliedButOpen = await appliedOnes(context.db, openBeforeReplay);
          replayed = openBeforeReplay.map((d) => d.id);
          await replayDeadLetters(context.pipeline.api, replayed);
          context.note(`${openBeforeReplay.length} open dead letters after the run (${appliedButOpen.length} for applied events), replayed`);
        },
        // Exactly the replayed ones, now REPLAYED; RESOLVED ones (applied) are records, allowed anywhere.
        deadLetters: () => replayed.map(expectReplayed),
      },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('left no open dead letter for an event its consumer had applied', () => {
    expect(appliedButOpen.map((d) => `${d.consumer} ${d.eventId}`)).toEqual([]);
  });

  it('recorded every dead letter of an applied event as RESOLVED, with the reason', () => {
    const resolved = scenario.result.run.deadLetters.filter((d) => d.status === DeadLetterStatus.RESOLVED);
    expect(resolved.length).toBeGreaterThan(0); // 30 % errors on three deliveries: some charges are given up
    for (const deadLetter of resolved) expect({ id: deadLetter.id, resolution: deadLetter.resolution }).toEqual({ id: deadLetter.id, resolution: expect.stringMatching(/^applied: /) });
  });

  it('re-sent every order and kept each reserved and charged once', () => {
    expect({ created: twinned[OrderCreated.subject].size, reserved: twinned[InventoryReserved.subject].size }).toEqual({ created: ORDERS, reserved: ORDERS });
    // One reservation, one payment per order and no second charge: checked by the invariants above.
  });
});

/**
 * The open dead letters once the dead-letter office is done: it resolves, within
 * seconds, one whose twin applied its event after it was recorded.
 */
async function openDeadLetters({ pipeline, db }: ScenarioContext): Promise<DeadLetterSummary[]> {
  let open: DeadLetterSummary[] = [];
  const deadline = Date.now() + 20_000;
  do {
    open = await listDeadLetters(pipeline.api, { status: DeadLetterStatus.PENDING });
    if ((await appliedOnes(db, open)).length === 0) return open;
    await sleep(500);
  } while (Date.now() < deadline);
  return open;
}

async function appliedOnes(db: ScenarioContext['db'], deadLetters: DeadLetterSummary[]): Promise<DeadLetterSummary[]> {
  const withEvent = deadLetters.filter((d) => d.eventId !== null);
  const applied = await db.appliedEvents(withEvent.map((d) => ({ consumer: d.consumer, eventId: d.eventId! })));
  return withEvent.filter((d) => applied.has(`${d.consumer}/${d.eventId}`));
}
