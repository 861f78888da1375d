import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Consumers, Streams } from '#contracts';
import { JetStreamPublisher, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually, reservedOrderEvent } from './support/events.js';
import { startServiceApp } from './support/service-app.js';

/**
 * Invariant 3 on the real payments service: a redelivered inventory.reserved is
 * recognised by the inbox, counted, and changes nothing: one payment, one
 * charge, one outcome event per order.
 */
describe('consumer idempotency (payments)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'idempotency' }));
    app = await startServiceApp({
      service: 'payments',
      nats,
      databaseUrl: db.url,
      env: { PAYMENT_SUCCESS_RATE: '1', PAYMENT_LATENCY_MS: '0', OUTBOX_POLL_INTERVAL_MS: '100' },
    });
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  async function paymentEventsFor(orderId: string): Promise<string[]> {
    const rows = await db.prisma.paymentsOutboxEvent.findMany({ where: { envelope: { path: ['payload', 'orderId'], equals: orderId } } });
    return rows.map((r) => r.type).sort();
  }

  it('applies an event delivered three times exactly once and counts the repeats', async () => {
    const event = reservedOrderEvent();
    const data = encodeEnvelope(event);
    // Same msg id: the server drops it. New msg ids: the consumer sees the event again.
    const results = await publisher.publishAll([
      { subject: event.type, msgId: event.id, data },
      { subject: event.type, msgId: event.id, data },
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'stored']);
    await publisher.publish({ subject: event.type, msgId: `${event.id}-again-1`, data });
    await publisher.publish({ subject: event.type, msgId: `${event.id}-again-2`, data });

    const consumer = Consumers.paymentsOnInventoryReserved.durable;
    await eventually(
      async () =>
        (await db.prisma.paymentsInboxEvent.findUnique({ where: { consumer_eventId: { consumer, eventId: event.id } } }))
          ?.duplicates === 2,
      15_000,
      'two duplicates recorded',
    );
    const payments = await db.prisma.payment.findMany({ where: { orderId: event.payload.orderId } });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'SUCCEEDED', amountCents: 1000, version: 2 });
    expect(await paymentEventsFor(event.payload.orderId)).toEqual(['payments.initiated', 'payments.succeeded']);

    // Every delivery, the skipped ones included, is acknowledged. The ack
    // follows the commit without waiting for the server's reply, so it may
    // land just after the inbox row is visible: wait for it.
    await eventually(
      async () => (await jsm.consumers.info(Streams.INVENTORY.name, consumer)).num_ack_pending === 0,
      15_000,
      'every delivery acknowledged',
    );
  });

  it('opens one payment when the same order arrives concurrently under different event ids', async () => {
    const first = reservedOrderEvent();
    const second = { ...reservedOrderEvent({ orderId: first.payload.orderId }), aggregateId: first.aggregateId };
    await publisher.publishAll([
      { subject: first.type, msgId: first.id, data: encodeEnvelope(first) },
      { subject: second.type, msgId: second.id, data: encodeEnvelope(second) },
    ]);
    await eventually(
      async () => (await db.prisma.paymentsInboxEvent.count({ where: { eventId: { in: [first.id, second.id] } } })) === 2,
      15_000,
      'both events handled',
    );
    expect(await db.prisma.payment.count({ where: { orderId: first.payload.orderId } })).toBe(1);
    expect(await paymentEventsFor(first.payload.orderId)).toEqual(['payments.initiated', 'payments.succeeded']);
  });
});
