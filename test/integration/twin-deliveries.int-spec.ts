import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Consumers, PaymentSucceeded, Streams } from '#contracts';
import { AppliedEvents, DeadLetterReconciler, DeadLetterRecorder, provisionDeadLetterStreams, type ConsumerAdvisory } from '#dead-letters';
import { JetStreamContext, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { ChargeOrderService } from '../../apps/payments/src/charge-order/charge-order.service.js';
import { GatewayUnavailableError, MockPaymentGateway, type ChargeResult } from '../../apps/payments/src/gateway/mock-payment-gateway.js';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { envelopeFor } from './support/envelope.js';
import { eventually, reservedOrderEvent } from './support/events.js';
import { startServiceApp } from './support/service-app.js';

const consumer = Consumers.paymentsOnInventoryReserved;

/** What the charge step reads of its delivery: the attempt, and whether it is the last. */
function delivery(deliveryCount: number, maxDeliver = 3) {
  return {
    deliveryCount,
    isLastAttempt: deliveryCount >= maxDeliver,
    keepAlive: <T>(work: Promise<T>) => work,
  } as unknown as JetStreamContext;
}

/** A promise and its resolve, to hold a gateway call until the test lets it go. */
function held<T>() {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}

/**
 * Two deliveries of one event id (a copy re-published under a new
 * Nats-Msg-Id: a twin) in the payments service on real PostgreSQL and NATS.
 * The race of the failure demo, reproduced step by step (no sleeps stand in
 * for ordering): the copy passes the inbox check while the original is still
 * charging, the original then applies the event, and the copy's last attempt
 * meets a gateway error. The copy must end as a duplicate (acknowledged, no
 * dead letter), not as work left undone. And the dead-letter office: a dead
 * letter whose event its consumer applied is recorded RESOLVED, at once or
 * when the twin applies it later.
 */
describe('twin deliveries of one event', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let charges: ChargeOrderService;
  let gateway: MockPaymentGateway;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'twins' }));
    app = await startServiceApp({
      service: 'payments',
      nats,
      databaseUrl: db.url,
      env: { PAYMENT_SUCCESS_RATE: '1', PAYMENT_LATENCY_MS: '0', OUTBOX_POLL_INTERVAL_MS: '100' },
    });
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    charges = app.get(ChargeOrderService);
    gateway = app.get(MockPaymentGateway);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  const inboxRow = (eventId: string) =>
    db.prisma.paymentsInboxEvent.findUnique({ where: { consumer_eventId: { consumer: consumer.durable, eventId } } });

  it('acknowledges a copy whose twin applied the event during its last attempt, instead of dead-lettering it', async () => {
    const event = reservedOrderEvent();
    const originalCall = held<ChargeResult>();
    let original: Promise<unknown> | undefined;
    const calls: string[] = [];
    const charge = jest.spyOn(gateway, 'charge').mockImplementation(async (request) => {
      if (calls.length === 0) {
        calls.push('original');
        return originalCall.promise;
      }
      calls.push('copy');
      // The copy is at the gateway: now the original gets its answer and applies the event...
      originalCall.release({ outcome: 'captured', reference: 'ch_twin' });
      await original;
      // ...and the copy's own call fails, on its last delivery.
      throw new GatewayUnavailableError(`gateway unavailable (attempt ${request.attempt})`);
    });
    try {
      original = charges.charge(event, delivery(1));
      // The copy starts once the original holds the gateway: both saw the payment PENDING.
      await eventually(() => calls.length === 1, 5_000, 'the original at the gateway');
      const copy = await charges.charge(event, delivery(3));

      expect({ copy, original: await original, calls }).toEqual({ copy: 'duplicate', original: 'applied', calls: ['original', 'copy'] });
      expect(await db.prisma.payment.findUniqueOrThrow({ where: { orderId: event.payload.orderId } })).toMatchObject({
        status: 'SUCCEEDED',
        gatewayReference: 'ch_twin',
      });
      // The copy is counted on the inbox row as the duplicate it is.
      expect(await inboxRow(event.id)).toMatchObject({ duplicates: 1 });
    } finally {
      charge.mockRestore();
    }
  });

  it('does not call the gateway for a copy whose twin applied the event before it arrived', async () => {
    const event = reservedOrderEvent();
    expect(await charges.charge(event, delivery(1))).toBe('applied');
    const charge = jest.spyOn(gateway, 'charge');
    try {
      expect(await charges.charge(event, delivery(1))).toBe('duplicate');
      expect(charge).not.toHaveBeenCalled();
    } finally {
      charge.mockRestore();
    }
  });

  /*
   * What the dead-letter office makes of a consumer giving up on a message
   * whose event was applied by another delivery. The consumer here is
   * shipments' (not running in this test), so the test alone decides what
   * its inbox holds.
   */
  describe('the dead-letter office', () => {
    const shipments = Consumers.shipmentsOnPaymentSucceeded;
    let recorder: DeadLetterRecorder;
    let reconciler: DeadLetterReconciler;

    beforeAll(async () => {
      // The office's streams, as orders-api provisions them.
      await provisionDeadLetterStreams(jsm);
      const applied = new AppliedEvents(db.prisma);
      recorder = new DeadLetterRecorder(db.prisma, jsm, jetstream(nc), applied);
      reconciler = new DeadLetterReconciler(db.prisma, applied, 0);
    });

    /** A payments.succeeded in its stream, and the advisory of shipments giving up on it. */
    async function givenUp() {
      const event = envelopeFor(PaymentSucceeded, { paymentId: randomUUID(), orderId: randomUUID(), amountCents: 100, gatewayReference: 'ch_1' });
      const ack = await jetstream(nc).publish(event.type, encodeEnvelope(event), { msgID: `${event.id}-copy` });
      const advisory: ConsumerAdvisory = { kind: 'max_deliveries', stream: Streams.PAYMENTS.name, consumer: shipments.durable, streamSeq: ack.seq, deliveries: 3 };
      return { event, advisory };
    }

    /** What shipments records when it applies the event (through its twin). */
    const applyInShipments = (event: { id: string; type: string }) =>
      db.prisma.shipmentsInboxEvent.create({ data: { consumer: shipments.durable, eventId: event.id, eventType: event.type } });

    const deadLetterOf = (eventId: string) => db.prisma.deadLetterEvent.findFirstOrThrow({ where: { eventId } });

    it('records a dead letter whose event the consumer applied as RESOLVED, saying who applied it', async () => {
      const { event, advisory } = await givenUp();
      await applyInShipments(event);

      expect(await recorder.record(advisory)).toBe('recorded');
      expect(await deadLetterOf(event.id)).toMatchObject({
        status: 'RESOLVED',
        resolution: expect.stringContaining(`applied: ${shipments.durable} recorded event ${event.id}`),
        resolvedAt: expect.any(Date),
      });
    });

    it('resolves an open dead letter once the twin applies its event later, and leaves work left undone open', async () => {
      const late = await givenUp();
      const undone = await givenUp();
      await recorder.record(late.advisory);
      await recorder.record(undone.advisory);
      expect([(await deadLetterOf(late.event.id)).status, (await deadLetterOf(undone.event.id)).status]).toEqual(['PENDING', 'PENDING']);

      await applyInShipments(late.event);

      expect(await reconciler.reconcile()).toBe(1);
      expect(await deadLetterOf(late.event.id)).toMatchObject({ status: 'RESOLVED', resolution: expect.stringContaining(late.event.id) });
      expect((await deadLetterOf(undone.event.id)).status).toBe('PENDING');
      expect(await reconciler.reconcile()).toBe(0);
    });
  });
});
