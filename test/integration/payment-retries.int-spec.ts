import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Consumers } from '#contracts';
import { JetStreamPublisher, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually, reservedOrderEvent } from './support/events.js';
import { startServiceApp } from './support/service-app.js';

/**
 * A gateway that never answers: the charge is retried with a delay on each
 * delivery; after the last one the payment fails with the reason (so the
 * order will fail) and the server announces the message as undeliverable,
 * which is what dead-letters it.
 */
describe('payments under gateway errors', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'gateway_errors' }));
    app = await startServiceApp({
      service: 'payments',
      nats,
      databaseUrl: db.url,
      env: { PAYMENT_SUCCESS_RATE: '1', PAYMENT_GATEWAY_ERROR_RATE: '1', PAYMENT_LATENCY_MS: '0' },
      transport: { consumerSettings: { maxDeliver: 3 }, retry: { baseDelayMs: 50, maxDelayMs: 100 } },
    });
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  it('retries three times, then fails the payment with the reason and gives the message up', async () => {
    const consumer = Consumers.paymentsOnInventoryReserved;
    const advisory = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${consumer.stream}.${consumer.durable}`, {
      max: 1,
      timeout: 15_000,
    });
    const event = reservedOrderEvent();
    await new JetStreamPublisher(jetstream(nc)).publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });

    let announced: { stream_seq: number; deliveries: number } | undefined;
    for await (const message of advisory) announced = message.json();
    expect(announced?.deliveries).toBe(3);

    await eventually(
      async () => (await db.prisma.payment.findUnique({ where: { orderId: event.payload.orderId } }))?.status === 'FAILED',
      10_000,
      'the payment to fail',
    );
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId: event.payload.orderId } });
    expect(payment.declineReason).toMatch(/^gateway_unavailable/);
    const outbox = await db.prisma.paymentsOutboxEvent.findMany({ where: { aggregateId: payment.id }, orderBy: { id: 'asc' } });
    expect(outbox.map((row) => row.type)).toEqual(['payments.initiated', 'payments.failed']);
  });
});
