import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, OrderCancelled, PaymentSucceeded, type EventEnvelope } from '#contracts';
import { JetStreamPublisher, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { envelopeFor } from './support/envelope.js';
import { eventually } from './support/events.js';
import { openInsert } from './support/open-insert.js';
import { redeliveriesOf } from './support/redeliveries.js';
import { startServiceApp } from './support/service-app.js';

/**
 * Shipments decides whether a cancelled order's parcel can still be stopped
 * (real NATS JetStream, real PostgreSQL): before the payment it leaves a
 * CANCELLED row so nothing is prepared later; once dispatched it refuses and
 * emits nothing, so payments refunds nothing and the order ends SHIPPED.
 */
describe('shipments on a cancellation (real NATS and PostgreSQL)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'shipment_cancel' }));
    app = await startServiceApp({
      service: 'shipments',
      nats,
      databaseUrl: db.url,
      env: { OUTBOX_POLL_INTERVAL_MS: '100' },
    });
    nc = await connect({ servers: nats.url });
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  const publish = (event: EventEnvelope) =>
    publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });
  const shipmentOf = (orderId: string) => db.prisma.shipment.findUnique({ where: { orderId } });
  const handled = (eventId: string) => async () => (await db.prisma.shipmentsInboxEvent.count({ where: { eventId } })) > 0;
  async function emittedFor(orderId: string): Promise<string[]> {
    const rows = await db.prisma.shipmentsOutboxEvent.findMany({
      where: { envelope: { path: ['payload', 'orderId'], equals: orderId } },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => row.type);
  }
  const paid = (orderId: string) =>
    envelopeFor(PaymentSucceeded, { orderId, paymentId: uuidv7(), amountCents: 1000, gatewayReference: 'ch_test' });
  const cancelled = (orderId: string) => envelopeFor(OrderCancelled, { orderId, reason: 'changed my mind' });

  it('refuses a cancellation once the parcel was dispatched: nothing emitted, the shipment stays DISPATCHED', async () => {
    const orderId = uuidv7();
    await publish(paid(orderId));
    await eventually(async () => (await shipmentOf(orderId))?.status === 'DISPATCHED', 15_000, 'the dispatch');

    const cancel = cancelled(orderId);
    await publish(cancel);
    await eventually(handled(cancel.id), 15_000, 'the cancellation handled');
    expect((await shipmentOf(orderId))?.status).toBe('DISPATCHED');
    expect(await emittedFor(orderId)).toEqual(['shipments.prepared', 'shipments.dispatched']);
  });

  it('stops an order cancelled before it was paid: a CANCELLED row, and a later payment prepares nothing', async () => {
    const orderId = uuidv7();
    const cancel = cancelled(orderId);
    await publish(cancel);
    await eventually(async () => (await shipmentOf(orderId))?.status === 'CANCELLED', 15_000, 'the cancellation');

    const payment = paid(orderId);
    await publish(payment);
    await eventually(handled(payment.id), 15_000, 'payments.succeeded handled');
    expect(await db.prisma.shipment.count({ where: { orderId } })).toBe(1);
    expect((await shipmentOf(orderId))?.status).toBe('CANCELLED');
    expect(await emittedFor(orderId)).toEqual(['shipments.cancelled']);
  });

  it('cancels a shipment prepared while the cancellation was opening its own row: one row, CANCELLED, delivered once', async () => {
    const orderId = uuidv7();
    const preparedId = uuidv7();
    // payments.succeeded being applied: its shipment inserted, not yet committed.
    const preparation = await openInsert(
      db.url,
      `INSERT INTO shipments.shipments (id, order_id, payment_id, status, warehouse, updated_at) VALUES ($1, $2, $3, 'PREPARED', 'WH-TEST', now())`,
      [preparedId, orderId, uuidv7()],
    );
    const cancel = cancelled(orderId);
    const redeliveredBefore = await redeliveriesOf(nc, Consumers.shipmentsOnOrderCancelled);
    try {
      await publish(cancel);
      // The cancellation found no shipment and is inserting its CANCELLED row: it waits on ours.
      await preparation.waitUntilSomeoneWaits();
    } finally {
      await preparation.commit();
    }
    await eventually(handled(cancel.id), 15_000, 'the cancellation handled');

    const shipments = await db.prisma.shipment.findMany({ where: { orderId } });
    expect(shipments.map(({ id, status }) => ({ id, status }))).toEqual([{ id: preparedId, status: 'CANCELLED' }]);
    const emitted = await db.prisma.shipmentsOutboxEvent.findMany({ where: { envelope: { path: ['payload', 'orderId'], equals: orderId } } });
    expect(emitted.map((row) => [row.type, (row.envelope as { payload: { shipmentId: string } }).payload.shipmentId])).toEqual([
      ['shipments.cancelled', preparedId],
    ]);
    // The lost race was decided again in the same delivery, not by a retry through the broker.
    expect(await redeliveriesOf(nc, Consumers.shipmentsOnOrderCancelled)).toBe(redeliveredBefore);
  });
});
