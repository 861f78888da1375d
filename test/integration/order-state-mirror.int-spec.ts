import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { ORDER_STATE_BUCKET, OrderCreated, Streams } from '#contracts';
import { JetStreamPublisher, provisionStreams, type OutgoingMessage } from '#jetstream';
import { OutboxRelay, OutboxWriter, causedByRequest, newEvent, type KvPut } from '#messaging';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually, orderCreatedEvent } from './support/events.js';

/**
 * The KV mirror written through the outbox: a put commits with its change and
 * the relay publishes it, so the mirror costs no consumed message. What must
 * hold is that an order's entry never goes back to an older version, even
 * with several relays, failed publishes and re-sends: proven here on a real
 * NATS server and PostgreSQL, by reading each key's whole history.
 */
describe('order-state mirror through the outbox relay', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let kv: KV;
  let publisher: JetStreamPublisher;
  const writer = new OutboxWriter('orders');

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'mirror', poolSize: 8 }));
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    await provisionStreams(jsm);
    // History kept here (the service keeps 1) so the test can read every value a key ever had.
    kv = await new Kvm(nc).create(ORDER_STATE_BUCKET, { history: 64 });
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  beforeEach(async () => {
    await db.sql.$executeRawUnsafe('TRUNCATE orders.outbox_events');
    await jsm.streams.purge(Streams.ORDERS.name);
    await jsm.streams.purge(`KV_${ORDER_STATE_BUCKET}`);
  });

  const relay = (pub: Pick<JetStreamPublisher, 'publishAll'> = publisher, batchSize = 50) =>
    new OutboxRelay(db.sql, pub, { schema: 'orders', databaseUrl: db.url, batchSize, pollIntervalMs: 20 });

  const put = (orderId: string, version: number): KvPut => ({ bucket: ORDER_STATE_BUCKET, key: orderId, aggregateId: orderId, value: { id: orderId, version } });

  async function versionsOf(orderId: string): Promise<number[]> {
    const versions: number[] = [];
    for await (const entry of await kv.history({ key: orderId })) versions.push(entry.json<{ version: number }>().version);
    return versions;
  }

  const unpublished = async () =>
    (await db.sql.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM orders.outbox_events WHERE published_at IS NULL'))[0]!.n;

  it('publishes only the newest of several puts of one order in a batch, and marks the older ones', async () => {
    const orderId = uuidv7();
    for (const version of [1, 2, 3]) await db.sql.$transaction((tx) => writer.add(tx, [], [put(orderId, version)]));

    expect(await relay().publishBatch()).toBe(3);

    expect(await versionsOf(orderId)).toEqual([3]);
    expect(await unpublished()).toBe(0);
  });

  it('publishes one order\'s events in order, and none after one failed; the next pass sends the rest in order', async () => {
    const { payload } = orderCreatedEvent();
    const ids = (
      await db.sql.$transaction((tx) => writer.add(tx, [1, 2, 3].map(() => newEvent(OrderCreated, payload.orderId, payload, causedByRequest()))))
    ).map((envelope) => envelope.id);
    // The second publish fails once (a timeout, say): the third must wait for it.
    let failedOnce = false;
    const flaky: Pick<JetStreamPublisher, 'publishAll'> = {
      publishAll: (messages: readonly OutgoingMessage[]) =>
        publisher.publishAll(
          messages.map((message) =>
            message.msgId === ids[1] && !failedOnce ? ((failedOnce = true), { ...message, subject: 'nowhere.refused' }) : message,
          ),
        ),
    };

    expect(await relay(flaky).publishBatch()).toBe(1);
    expect(await storedIds()).toEqual([ids[0]]);

    expect(await relay().publishBatch()).toBe(2);
    expect(await storedIds()).toEqual(ids);
  });

  async function storedIds(): Promise<string[]> {
    const info = await jsm.streams.info(Streams.ORDERS.name);
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      ids.push((await jsm.streams.getMessage(Streams.ORDERS.name, { seq }))!.json<{ id: string }>().id);
    }
    return ids;
  }

  it('never moves an order back to an older version, with two relays racing over interleaved changes', async () => {
    // Few orders, many versions, small batches: one order's consecutive versions land in different relays' batches.
    const orders = Array.from({ length: 4 }, () => uuidv7());
    const versions = 15;
    // Publishes that take a random few milliseconds, so the two relays' batches overlap and finish out of order.
    const jittery: Pick<JetStreamPublisher, 'publishAll'> = {
      publishAll: async (messages: readonly OutgoingMessage[]) => {
        await sleep(Math.random() * 15);
        return publisher.publishAll(messages);
      },
    };
    const relays = [relay(jittery, 3), relay(jittery, 3)];
    relays.forEach((r) => r.start());
    try {
      // Each order's changes in order, orders interleaved, one transaction each, while both relays run.
      for (let version = 1; version <= versions; version++) {
        for (const orderId of orders) await db.sql.$transaction((tx) => writer.add(tx, [], [put(orderId, version)]));
        await sleep(2);
      }
      await eventually(async () => (await unpublished()) === 0, 20_000, 'every put published');
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
    for (const orderId of orders) {
      const history = await versionsOf(orderId);
      expect({ orderId, increasing: history.every((v, i) => i === 0 || v > history[i - 1]!), last: history.at(-1) }).toEqual({
        orderId,
        increasing: true,
        last: versions,
      });
    }
  });
});
