import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, ShipmentCancelled, type EnvelopeOf } from '#contracts';
import { JetStreamPublisher, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import type { MockPaymentGateway as Gateway } from '../../apps/payments/src/gateway/mock-payment-gateway.js';
import type { RefundPaymentService } from '../../apps/payments/src/refund-payment/refund-payment.service.js';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { envelopeFor } from './support/envelope.js';
import { eventually, reservedOrderEvent } from './support/events.js';
import { openInsert } from './support/open-insert.js';
import { redeliveriesOf } from './support/redeliveries.js';
import { startServiceApp } from './support/service-app.js';

/** The gateway's simulated round trip: long enough that a cancellation lands while a charge is in flight. */
const GATEWAY_LATENCY_MS = 1_500;

/** A shipments.cancelled envelope, as shipments' outbox would write it. */
function shipmentCancelledEvent(orderId: string): EnvelopeOf<typeof ShipmentCancelled> {
  return envelopeFor(ShipmentCancelled, { orderId, shipmentId: null });
}

/**
 * Refunds on the real payments service (real NATS JetStream, real
 * PostgreSQL): a cancellation refunds a captured payment once however often
 * it is delivered, a cancellation handled while the charge is in flight (by
 * another instance) still gets the capture refunded, and one that arrives
 * before the order charges nothing.
 */
describe('payments refunds (real NATS and PostgreSQL)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let publisher: JetStreamPublisher;
  let gateway: Gateway;
  let refunds: RefundPaymentService;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'refunds' }));
    app = await startServiceApp({
      service: 'payments',
      nats,
      databaseUrl: db.url,
      env: {
        PAYMENT_SUCCESS_RATE: '1',
        PAYMENT_GATEWAY_ERROR_RATE: '0',
        PAYMENT_LATENCY_MS: String(GATEWAY_LATENCY_MS),
        OUTBOX_POLL_INTERVAL_MS: '100',
      },
    });
    const { MockPaymentGateway } = await import('../../apps/payments/src/gateway/mock-payment-gateway.js');
    gateway = app.get(MockPaymentGateway);
    refunds = app.get((await import('../../apps/payments/src/refund-payment/refund-payment.service.js')).RefundPaymentService);
    nc = await connect({ servers: nats.url });
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  async function paymentEventsFor(orderId: string): Promise<string[]> {
    const rows = await db.prisma.paymentsOutboxEvent.findMany({
      where: { envelope: { path: ['payload', 'orderId'], equals: orderId } },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => row.type);
  }

  const paymentOf = (orderId: string) => db.prisma.payment.findUnique({ where: { orderId } });

  it('refunds a captured payment once when the cancellation is delivered three times', async () => {
    const reserved = reservedOrderEvent();
    const { orderId } = reserved.payload;
    await publisher.publish({ subject: reserved.type, msgId: reserved.id, data: encodeEnvelope(reserved) });
    await eventually(async () => (await paymentOf(orderId))?.status === 'SUCCEEDED', 15_000, 'the charge to capture');
    const refundsBefore = gateway.refundedCount;

    const cancelled = shipmentCancelledEvent(orderId);
    const data = encodeEnvelope(cancelled);
    // New msg ids each time: the server keeps all three and the consumer sees the event three times.
    await publisher.publishAll([1, 2, 3].map((n) => ({ subject: cancelled.type, msgId: `${cancelled.id}-${n}`, data })));

    const consumer = Consumers.paymentsOnShipmentCancelled.durable;
    await eventually(
      async () =>
        (await db.prisma.paymentsInboxEvent.findUnique({ where: { consumer_eventId: { consumer, eventId: cancelled.id } } }))
          ?.duplicates === 2,
      20_000,
      'two duplicates recorded',
    );
    const payment = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(payment).toMatchObject({ status: 'REFUNDED', amountCents: 1000 });
    expect(payment.refundReference).toMatch(/^re_/);
    expect(payment.cancelRequestedAt).not.toBeNull();
    expect(gateway.refundedCount - refundsBefore).toBe(1);
    expect(await paymentEventsFor(orderId)).toEqual(['payments.initiated', 'payments.succeeded', 'payments.refunded']);
  });

  it('refunds a charge that captures after the cancellation reached payments', async () => {
    const reserved = reservedOrderEvent();
    const { orderId } = reserved.payload;
    await publisher.publish({ subject: reserved.type, msgId: reserved.id, data: encodeEnvelope(reserved) });
    // The payment is open and the gateway call (GATEWAY_LATENCY_MS) under way.
    await eventually(async () => (await paymentOf(orderId))?.status === 'PENDING', 15_000, 'the charge to start');

    // One instance runs an order's events one after another, so here the
    // cancellation is handled as another payments instance would handle it:
    // at the same time as the charge, straight through the use case.
    const cancelled = shipmentCancelledEvent(orderId);
    const anotherInstance = { deliveryCount: 1, keepAlive: <T>(work: Promise<T>) => work };
    expect(await refunds.onShipmentCancelled(cancelled, anotherInstance)).toBe('applied');
    const marked = await db.prisma.payment.findUniqueOrThrow({ where: { orderId } });
    expect(marked).toMatchObject({ status: 'PENDING' });
    expect(marked.cancelRequestedAt).not.toBeNull();

    await eventually(async () => (await paymentOf(orderId))?.status === 'REFUNDED', 20_000, 'the refund');
    await eventually(
      async () => (await db.prisma.paymentsInboxEvent.count({ where: { eventId: reserved.id } })) === 1,
      20_000,
      'the charge to finish',
    );
    expect(await paymentEventsFor(orderId)).toEqual(['payments.initiated', 'payments.succeeded', 'payments.refunded']);
    // The charge step refunded it, right after the capture.
    const refunded = await db.prisma.paymentsOutboxEvent.findFirstOrThrow({ where: { aggregateId: marked.id, type: 'payments.refunded' } });
    expect((refunded.envelope as { causationId: string }).causationId).toBe(reserved.id);
  });

  it('charges nothing for an order cancelled before payments saw it, and says so once', async () => {
    const reserved = reservedOrderEvent();
    const { orderId } = reserved.payload;
    const capturesBefore = gateway.capturedCount;
    const cancelled = shipmentCancelledEvent(orderId);
    await publisher.publish({ subject: cancelled.type, msgId: cancelled.id, data: encodeEnvelope(cancelled) });
    await eventually(async () => (await paymentOf(orderId))?.status === 'CANCELLED', 15_000, 'the payment to be voided');

    await publisher.publish({ subject: reserved.type, msgId: reserved.id, data: encodeEnvelope(reserved) });
    await eventually(
      async () => (await db.prisma.paymentsInboxEvent.count({ where: { eventId: reserved.id } })) === 1,
      15_000,
      'inventory.reserved handled',
    );
    expect(await db.prisma.payment.count({ where: { orderId } })).toBe(1);
    expect((await paymentOf(orderId))?.status).toBe('CANCELLED');
    expect(gateway.capturedCount).toBe(capturesBefore);
    expect(await paymentEventsFor(orderId)).toEqual(['payments.voided']);
  });

  it('records a cancellation on a payment opened while the cancellation was opening its own row, in the same delivery', async () => {
    const orderId = uuidv7();
    const openedId = uuidv7();
    // inventory.reserved being applied: its PENDING payment inserted, not yet committed.
    const charge = await openInsert(
      db.url,
      `INSERT INTO payments.payments (id, order_id, amount_cents, status, updated_at) VALUES ($1, $2, 1000, 'PENDING', now())`,
      [openedId, orderId],
    );
    const cancelled = shipmentCancelledEvent(orderId);
    const redeliveredBefore = await redeliveriesOf(nc, Consumers.paymentsOnShipmentCancelled);
    try {
      await publisher.publish({ subject: cancelled.type, msgId: cancelled.id, data: encodeEnvelope(cancelled) });
      // The cancellation found no payment and is inserting a CANCELLED one: it waits on ours.
      await charge.waitUntilSomeoneWaits();
    } finally {
      await charge.commit();
    }
    await eventually(
      async () => (await db.prisma.paymentsInboxEvent.count({ where: { eventId: cancelled.id } })) === 1,
      15_000,
      'the cancellation handled',
    );

    // Decided again on the payment that won: marked for a refund once captured, not voided beside it.
    const payments = await db.prisma.payment.findMany({ where: { orderId } });
    expect(payments.map(({ id, status }) => ({ id, status }))).toEqual([{ id: openedId, status: 'PENDING' }]);
    expect(payments[0]!.cancelRequestedAt).not.toBeNull();
    expect(await paymentEventsFor(orderId)).toEqual([]);
    expect(await redeliveriesOf(nc, Consumers.paymentsOnShipmentCancelled)).toBe(redeliveredBefore);
  });
});
