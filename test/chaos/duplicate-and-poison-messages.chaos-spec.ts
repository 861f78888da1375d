import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers, OrderCreated, PaymentSucceeded, Streams, consumersReading } from '#contracts';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { poisonTerminated } from './support/invariants.js';
import { followEvents, publishPoison, republishWithNewMsgId, type StoredEvent } from './support/messages.js';
import { ChaosScenario, eventually } from './support/scenario.js';

/**
 * Messages nobody should have sent. Every orders.created and every
 * payments.succeeded is published a second time under a new Nats-Msg-Id (the
 * server cannot recognise it; only the consumers' inboxes stand between it and
 * a second charge or shipment), as soon as the original appears in its stream,
 * so most copies arrive while the original is still being handled. And poison:
 * bodies that are not events at all, on subjects the services consume, which
 * must be terminated at once and dead-lettered with reason `invalid`, once per
 * consumer that reads the subject.
 */
const POISON = [
  { subject: OrderCreated.subject, stream: Streams.ORDERS.name, count: 3, consumers: durablesReading(OrderCreated.subject) },
  { subject: PaymentSucceeded.subject, stream: Streams.PAYMENTS.name, count: 2, consumers: durablesReading(PaymentSucceeded.subject) },
];

/** Every durable that reads `subject` (analytics' included): each must terminate the poison. */
function durablesReading(subject: string): string[] {
  return consumersReading(subject).map((c) => c.durable);
}

describe('chaos: duplicate and invalid deliveries', () => {
  const scenario = new ChaosScenario({
    name: 'duplicates-and-poison',
    title: 'every orders.created and payments.succeeded sent again under a new msg id; poison messages; shared transactions',
    // Copies and poison meet the shared transactions (batches, group commit):
    // a copy in the same transaction as other orders' events must still be
    // skipped. One group commit in flight per service and a small pool, so
    // that units wait and share more often than by default.
    commonEnv: { GROUP_COMMIT_MAX_TRANSACTIONS: '1', DATABASE_POOL_SIZE: '4' },
  });
  const duplicated = { [OrderCreated.subject]: new Set<string>(), [PaymentSucceeded.subject]: new Set<string>() };
  const poison: Array<{ stream: string; seq: number; subject: string; consumers: readonly string[] }> = [];

  beforeAll(async () => {
    await scenario.run(
      async ({ load, orders, nc, db, note }) => {
        // Each event once: the copies themselves (same event id) come by too.
        const copy = (subject: typeof OrderCreated.subject | typeof PaymentSucceeded.subject) => async (event: StoredEvent) => {
          if (duplicated[subject].has(event.envelope.id)) return;
          duplicated[subject].add(event.envelope.id);
          const ack = await republishWithNewMsgId(nc, event);
          if (ack.duplicate) throw new Error(`the copy of ${event.envelope.id} was taken for a duplicate by the server`);
        };
        const followers = [
          await followEvents(nc, Streams.ORDERS.name, OrderCreated.subject, copy(OrderCreated.subject)),
          await followEvents(nc, Streams.PAYMENTS.name, PaymentSucceeded.subject, copy(PaymentSucceeded.subject)),
        ];
        await load.whenAccepted(orders / 2);
        for (const { subject, stream, count, consumers } of POISON) {
          for (let i = 0; i < count; i++) {
            const ack = await publishPoison(nc, subject, `${i + 1}`);
            poison.push({ stream, seq: ack.seq, subject, consumers });
          }
        }
        await load.done;
        // Until every order has its orders.created and every payment that succeeds its payments.succeeded.
        await eventually('a copy of every orders.created', () => duplicated[OrderCreated.subject].size === orders);
        await eventually('a copy of every payments.succeeded', async () => {
          const statuses = await db.paymentStatuses().catch(() => ({}) as Record<string, number>);
          return !statuses['PENDING'] && duplicated[PaymentSucceeded.subject].size === (statuses['SUCCEEDED'] ?? -1);
        });
        await Promise.all(followers.map((follower) => follower.stop()));
        note(
          `re-published ${duplicated[OrderCreated.subject].size} orders.created and ${duplicated[PaymentSucceeded.subject].size} ` +
            `payments.succeeded under new msg ids; ${poison.length} poison messages`,
        );
      },
      { deadLetters: () => poison.flatMap((message) => message.consumers.map((consumer) => poisonTerminated(message, consumer))) },
    );
  });

  afterAll(() => scenario.stop());

  itKeepsTheInvariants(scenario);

  it('had the inboxes skip every re-published event, once per consumer that reads it', () => {
    const { run } = scenario.result;
    const skipped = (consumer: string) => run.facts.inboxDuplicates.get(consumer) ?? 0;
    expect(duplicated[OrderCreated.subject].size).toBe(scenario.orders);
    expect(duplicated[PaymentSucceeded.subject].size).toBeGreaterThan(0);
    expect(skipped(Consumers.paymentsOnInventoryReserved.durable)).toBeGreaterThanOrEqual(duplicated[OrderCreated.subject].size);
    expect(skipped(Consumers.shipmentsOnPaymentSucceeded.durable)).toBeGreaterThanOrEqual(duplicated[PaymentSucceeded.subject].size);
    expect(skipped(Consumers.ordersOnPayments.durable)).toBeGreaterThanOrEqual(duplicated[PaymentSucceeded.subject].size);
  });
});
