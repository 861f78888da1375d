import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Module, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Consumers, InventoryReserved, type EnvelopeOf } from '#contracts';
import { JetStreamPublisher, JetStreamServer, MessageController, encodeEnvelope } from '#jetstream';
import { startNatsServer, type NatsServer } from '#local-infra';
import { eventually, reservedOrderEvent } from './support/events.js';
import { createTestMicroservice } from './support/nest-app.js';

/** What the test handler saw, and which orders it should fail on first. */
const seen: Array<{ orderId: string; attempt: number; at: number }> = [];
const failFirstDeliveryOf = new Set<string>();
/** Orders whose first delivery fails as if the database were down. */
const outageOnFirstDeliveryOf = new Set<string>();
const OUTAGE_BASE_DELAY_MS = 2_000;

class DatabaseDownError extends Error {}
const attempts = new Map<string, number>();

@MessageController()
class RecordingHandler {
  @EventPattern(InventoryReserved.subject)
  async handle(@Payload() event: EnvelopeOf<typeof InventoryReserved>): Promise<void> {
    const attempt = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, attempt);
    seen.push({ orderId: event.payload.orderId, attempt, at: Date.now() });
    if (failFirstDeliveryOf.has(event.payload.orderId) && attempt === 1) throw new Error('transient failure');
    if (outageOnFirstDeliveryOf.has(event.payload.orderId) && attempt === 1) throw new DatabaseDownError('database down');
  }
}

@Module({ controllers: [RecordingHandler] })
class TestModule {}

/**
 * The transport's delivery contract against a real JetStream: a handler gets
 * a validated, typed envelope; success is acked; a failure is redelivered
 * after a delay; an invalid message never reaches a handler and is not
 * redelivered.
 */
describe('JetStream transport', () => {
  const consumer = Consumers.paymentsOnInventoryReserved;
  let server: NatsServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createTestMicroservice(
      TestModule,
      {
        logger: false,
        strategy: new JetStreamServer({
          name: 'transport-test',
          servers: server.url,
          consumers: [consumer],
          consumerSettings: { ackWaitMs: 5_000, maxDeliver: 3 },
          retry: {
            baseDelayMs: 100,
            maxDelayMs: 10_000,
            outage: { isOutage: (error) => error instanceof DatabaseDownError, baseDelayMs: OUTAGE_BASE_DELAY_MS },
          },
        }),
      },
    );
    await app.listen();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await server?.stop();
  });

  async function pending() {
    const info = await jsm.consumers.info(consumer.stream, consumer.durable);
    return { ackPending: info.num_ack_pending, waiting: info.num_pending };
  }

  it('hands the validated envelope to the handler and acks it once', async () => {
    const event = reservedOrderEvent();
    await publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });
    await eventually(() => seen.some((s) => s.orderId === event.payload.orderId), 10_000, 'delivery');
    await eventually(async () => (await pending()).ackPending === 0, 10_000, 'ack');
    expect(seen.filter((s) => s.orderId === event.payload.orderId).map((s) => s.attempt)).toEqual([1]);
  });

  it('redelivers after a handler error, then acks', async () => {
    const event = reservedOrderEvent();
    failFirstDeliveryOf.add(event.payload.orderId);
    await publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });
    await eventually(() => seen.filter((s) => s.orderId === event.payload.orderId).length === 2, 10_000, 'retry');
    await eventually(async () => (await pending()).ackPending === 0, 10_000, 'ack after retry');
    expect(seen.filter((s) => s.orderId === event.payload.orderId).map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('waits longer before retrying a failure that means a dependency is down', async () => {
    const event = reservedOrderEvent();
    outageOnFirstDeliveryOf.add(event.payload.orderId);
    await publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });
    const deliveries = () => seen.filter((s) => s.orderId === event.payload.orderId);
    await eventually(() => deliveries().length === 2, 15_000, 'retry after the outage delay');
    const [first, second] = deliveries();
    // Full jitter over [base/2, base]: the server cannot redeliver before the nak delay.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(OUTAGE_BASE_DELAY_MS / 2);
  });

  it('terminates invalid messages without calling a handler, and keeps consuming', async () => {
    const before = seen.length;
    const broken = reservedOrderEvent();
    const garbage = [
      new TextEncoder().encode('not json'),
      encodeEnvelope({ ...broken, payload: { ...broken.payload, totalCents: -1 } }),
      encodeEnvelope({ ...broken, id: 'not-a-uuid' }),
      encodeEnvelope({ ...broken, schemaVersion: 99 }),
    ];
    for (const [i, data] of garbage.entries()) {
      await publisher.publish({ subject: InventoryReserved.subject, msgId: `garbage-${i}-${broken.id}`, data });
    }
    const valid = reservedOrderEvent();
    await publisher.publish({ subject: valid.type, msgId: valid.id, data: encodeEnvelope(valid) });

    await eventually(() => seen.some((s) => s.orderId === valid.payload.orderId), 10_000, 'the valid message');
    await eventually(async () => (await pending()).ackPending === 0, 10_000, 'terminations');
    // Past the ack wait and the retry delays: a terminated message would be back by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(seen.slice(before).map((s) => s.orderId)).toEqual([valid.payload.orderId]);
    expect(await pending()).toEqual({ ackPending: 0, waiting: 0 });
  });

  it('reports a duplicate publish of the same msg id as delivered, storing it once', async () => {
    const event = reservedOrderEvent();
    const message = { subject: event.type, msgId: event.id, data: encodeEnvelope(event) };
    const [first, second] = await publisher.publishAll([message, message]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual(['duplicate', 'stored']);
    await eventually(() => seen.some((s) => s.orderId === event.payload.orderId), 10_000, 'delivery');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.filter((s) => s.orderId === event.payload.orderId)).toHaveLength(1);
  });
});
