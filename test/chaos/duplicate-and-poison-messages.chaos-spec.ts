import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { InventoryReserved, OrderCreated, PaymentSucceeded, ShipmentDispatched, Streams, consumersReading } from '#contracts';
import { itKeepsTheInvariants } from './support/expect-invariants.js';
import { poisonTerminated } from './support/invariants.js';
import { publishPoison, republishEveryEvent } from './support/messages.js';
import { ChaosScenario, eventually } from './support/scenario.js';

/**
 * Messages nobody should have sent. Every event that starts a step of the
 * saga for an order (orders.created: a reservation; inventory.reserved: a
 * charge; payments.succeeded: a shipment; shipments.dispatched: the stock
 * leaving the warehouse) is published a second time under a new
 * Nats-Msg-Id (the server cannot recognise it; only the consumers' inboxes
 * stand between it and a second reservation, charge, shipment or commit), as
 * soon as the original appears in its stream, so most copies arrive while
 * the original is still being handled. And poison: bodies that are not events
 * at all, on subjects the services consume, which must be terminated at once
 * and dead-lettered with reason `invalid`, once per consumer that reads the
 * subject.
 */
const COPIED = [OrderCreated, InventoryReserved, PaymentSucceeded, ShipmentDispatched] as const;

const POISON = [
  { subject: OrderCreated.subject, stream: Streams.ORDERS.name, count: 3, consumers: durablesReading(OrderCreated.subject) },
  { subject: PaymentSucceeded.subject, stream: Streams.PAYMENTS.name, count: 2, consumers: durablesReading(PaymentSucceeded.subject) },
];

/** Every durable that reads `subject` (analytics' included): each must terminate the poison, and skip each copy. */
function durablesReading(subject: string): string[] {
  return consumersReading(subject).map((c) => c.durable);
}

describe('chaos: duplicate and invalid deliveries', () => {
  const scenario = new ChaosScenario({
    name: 'duplicates-and-poison',
    title: 'every orders.created, inventory.reserved, payments.succeeded and shipments.dispatched sent again under a new msg id; poison messages; shared transactions',
    // Copies and poison meet the shared transactions (batches, group commit):
    // a copy in the same transaction as other orders' events must still be
    // skipped. One group commit in flight per service and a small pool, so
    // that units wait and share more often than by default.
    commonEnv: { GROUP_COMMIT_MAX_TRANSACTIONS: '1', DATABASE_POOL_SIZE: '4' },
  });
  let duplicated: Record<(typeof COPIED)[number]['subject'], Set<string>>;
  const poison: Array<{ stream: string; seq: number; subject: string; consumers: readonly string[] }> = [];

  beforeAll(async () => {
    await scenario.run(
      async ({ load, orders, nc, db, note }) => {
        const copies = await republishEveryEvent(nc, COPIED);
        duplicated = copies.copied;
        await load.whenAccepted(orders / 2);
        for (const { subject, stream, count, consumers } of POISON) {
          for (let i = 0; i < count; i++) {
            const ack = await publishPoison(nc, subject, `${i + 1}`);
            poison.push({ stream, seq: ack.seq, subject, consumers });
          }
        }
        await load.done;
        // Until every order has its orders.created and inventory.reserved (none is short of stock), and every
        // payment that succeeds its payments.succeeded and its shipments.dispatched (nothing is cancelled).
        await eventually('a copy of every orders.created and inventory.reserved', () => duplicated[OrderCreated.subject].size === orders && duplicated[InventoryReserved.subject].size === orders);
        await eventually('a copy of every payments.succeeded and shipments.dispatched', async () => {
          const statuses = await db.paymentStatuses().catch(() => ({}) as Record<string, number>);
          const succeeded = statuses['PENDING'] ? -1 : (statuses['SUCCEEDED'] ?? -1);
          return duplicated[PaymentSucceeded.subject].size === succeeded && duplicated[ShipmentDispatched.subject].size === succeeded;
        });
        await copies.stop();
        note(`re-published ${COPIED.map(({ subject }) => `${duplicated[subject].size} ${subject}`).join(', ')} under new msg ids; ${poison.length} poison messages`);
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
    expect(duplicated[InventoryReserved.subject].size).toBe(scenario.orders);
    expect(duplicated[PaymentSucceeded.subject].size).toBeGreaterThan(0);
    expect(duplicated[ShipmentDispatched.subject].size).toBe(duplicated[PaymentSucceeded.subject].size);
    const short = COPIED.flatMap(({ subject }) =>
      durablesReading(subject)
        .filter((consumer) => skipped(consumer) < duplicated[subject].size)
        .map((consumer) => `${consumer} skipped ${skipped(consumer)} of ${duplicated[subject].size} copies of ${subject}`),
    );
    expect(short).toEqual([]);
  });
});
