import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { OrderCreated, Streams } from '#contracts';
import { JetStreamPublisher, provisionStreams, type OutgoingMessage, type PublishResult } from '#jetstream';
import { CLAIM_CANDIDATE_BATCHES, OutboxRelay, OutboxWriter, causedByRequest, newEvent } from '#messaging';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { orderCreatedEvent } from './support/events.js';

/**
 * Invariants 1 and 2: events leave only through the outbox, committed with
 * their cause; a relay that dies between publishing and marking re-sends with
 * the same msg id, and the server's duplicate answer counts as delivered.
 */
describe('outbox relay', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: JetStreamPublisher;
  const writer = new OutboxWriter('orders');

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'outbox', poolSize: 8 }));
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    await provisionStreams(jsm);
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe('TRUNCATE orders.outbox_events');
    await jsm.streams.purge(Streams.ORDERS.name);
  });

  function relay(pub: Pick<JetStreamPublisher, 'publishAll'> = publisher, batchSize = 50) {
    return new OutboxRelay(db.sql, pub, { schema: 'orders', databaseUrl: db.url, batchSize, pollIntervalMs: 50 });
  }

  async function writeEvents(count: number) {
    const events = Array.from({ length: count }, () => {
      const { payload } = orderCreatedEvent();
      return newEvent(OrderCreated, payload.orderId, payload, causedByRequest());
    });
    await db.prisma.$transaction((tx) => writer.add(tx, events));
  }

  async function streamCount() {
    return (await jsm.streams.info(Streams.ORDERS.name)).state.messages;
  }

  async function unpublishedCount() {
    return db.prisma.ordersOutboxEvent.count({ where: { publishedAt: null } });
  }

  it('publishes nothing from a transaction that rolled back', async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        const { payload } = orderCreatedEvent();
        await writer.add(tx, [newEvent(OrderCreated, payload.orderId, payload, causedByRequest())]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await relay().publishBatch()).toBe(0);
    expect(await db.prisma.ordersOutboxEvent.count()).toBe(0);
    expect(await streamCount()).toBe(0);
  });

  it('publishes the stored envelope as it is, sequenced by its stored ordering key, or by its envelope on a row stored without one', async () => {
    await writeEvents(2);
    const [older] = await db.prisma.ordersOutboxEvent.findMany({ orderBy: { id: 'asc' }, take: 1 });
    // As a row written by the release before the column existed.
    await db.prisma.ordersOutboxEvent.update({ where: { id: older.id }, data: { orderingKey: null } });
    const sent: OutgoingMessage[] = [];
    const recording = { publishAll: (messages: OutgoingMessage[]) => (sent.push(...messages), publisher.publishAll(messages)) };
    expect(await relay(recording).publishBatch()).toBe(2);
    const stored = await db.prisma.ordersOutboxEvent.findMany({ orderBy: { id: 'asc' } });
    expect(sent.map((message) => JSON.parse(new TextDecoder().decode(message.data)))).toEqual(stored.map((row) => row.envelope));
    expect(sent.map((message) => message.orderingKey)).toEqual(stored.map((row) => (row.envelope as { payload: { orderId: string } }).payload.orderId));
    expect(stored[1].orderingKey).toBe(sent[1].orderingKey);
    expect(await streamCount()).toBe(2);
  });

  it('claims a batch holding a bounded number of aggregates\' advisory locks, however long the backlog', async () => {
    await writeEvents(200); // 200 orders waiting
    let locksWhilePublishing = -1;
    const observing = {
      publishAll: async (messages: OutgoingMessage[]) => {
        // This database's only: another test file's relays may share the server.
        const [{ held }] = await db.prisma.$queryRawUnsafe<Array<{ held: number }>>(
          `SELECT count(*)::int AS held FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        locksWhilePublishing = held;
        return publisher.publishAll(messages);
      },
    };
    expect(await relay(observing, 10).publishBatch()).toBe(10);
    // The candidates are a few batches at most: the claim never locks the whole backlog's orders.
    expect(locksWhilePublishing).toBeGreaterThanOrEqual(10);
    expect(locksWhilePublishing).toBeLessThanOrEqual(10 * CLAIM_CANDIDATE_BATCHES);
    expect(await unpublishedCount()).toBe(190);
  });

  it('re-sends after dying between publish and mark-published, without a second copy', async () => {
    await writeEvents(20);
    // Publishes for real, then dies before the transaction that marks the rows commits.
    const dyingPublisher = {
      publishAll: async (messages: Parameters<JetStreamPublisher['publishAll']>[0]) => {
        await publisher.publishAll(messages);
        throw new Error('relay killed after publishing');
      },
    };
    await expect(relay(dyingPublisher).publishBatch()).rejects.toThrow('relay killed');
    expect(await unpublishedCount()).toBe(20);
    expect(await streamCount()).toBe(20);

    const outcomes: PublishResult[] = [];
    const watchingPublisher = {
      publishAll: async (messages: Parameters<JetStreamPublisher['publishAll']>[0]) => {
        const results = await publisher.publishAll(messages);
        outcomes.push(...results);
        return results;
      },
    };
    expect(await relay(watchingPublisher).publishBatch()).toBe(20);
    expect(outcomes.every((o) => o.status === 'duplicate')).toBe(true);
    expect(await unpublishedCount()).toBe(0);
    expect(await streamCount()).toBe(20);
  });

  it('shares the work between concurrent relays without publishing a row twice', async () => {
    await writeEvents(300);
    const published: string[] = [];
    const counting = {
      publishAll: async (messages: Parameters<JetStreamPublisher['publishAll']>[0]) => {
        published.push(...messages.map((m) => m.msgId));
        return publisher.publishAll(messages);
      },
    };
    const relays = [relay(counting, 25), relay(counting, 25), relay(counting, 25)];
    relays.forEach((r) => r.start());
    const deadline = Date.now() + 20_000;
    while ((await unpublishedCount()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await Promise.all(relays.map((r) => r.stop()));

    expect(await unpublishedCount()).toBe(0);
    expect(published).toHaveLength(300);
    expect(new Set(published).size).toBe(300);
    expect(await streamCount()).toBe(300);
  });

  it('wakes on NOTIFY instead of waiting for the next poll', async () => {
    const slowPoll = new OutboxRelay(db.sql, publisher, {
      schema: 'orders',
      databaseUrl: db.url,
      batchSize: 50,
      pollIntervalMs: 60_000,
    });
    slowPoll.start();
    try {
      await new Promise((r) => setTimeout(r, 300)); // listening, and asleep for a minute
      const started = Date.now();
      await writeEvents(1);
      while ((await unpublishedCount()) > 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 10));
      expect(await unpublishedCount()).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await slowPoll.stop();
    }
  });
});
