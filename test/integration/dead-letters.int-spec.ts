import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Module, type INestApplication } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventPattern, Payload } from '@nestjs/microservices';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import {
  Consumers,
  DeadLetterConsumers,
  DeadLetterHeaders,
  DeadLetterStreams,
  Headers,
  InventoryReserved,
  OrderCreated,
  deadLetterSubject,
  type EnvelopeOf,
} from '#contracts';
import { DatabaseModule } from '#database';
import { AdvisoryConsumer, DeadLetterRecorder, type ConsumerAdvisory } from '#dead-letters';
import { JetStreamModule, JetStreamServer, MessageController, PermanentHandlerError, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { DeadLettersApiModule } from '../../apps/orders-api/src/dead-letters/dead-letters-api.module.js';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually, reservedOrderEvent } from './support/events.js';
import { createTestApp } from './support/nest-app.js';

/** What the handler does with each order's events; the test changes it to "fix" a consumer. */
type Behaviour = 'succeed' | 'fail' | 'hang' | 'reject';
const behaviourOf = new Map<string, Behaviour>();
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const handledOrders: string[] = [];
let releaseHangs: () => void = () => undefined;
const hangsReleased = new Promise<void>((resolve) => (releaseHangs = resolve));

@MessageController()
class ScriptedHandler {
  @EventPattern(InventoryReserved.subject)
  async handle(@Payload() event: EnvelopeOf<typeof InventoryReserved>): Promise<void> {
    switch (behaviourOf.get(event.payload.orderId) ?? 'succeed') {
      case 'fail':
        throw new Error('the database is on fire');
      case 'reject':
        throw new PermanentHandlerError('this order can never be charged');
      case 'hang':
        // Past the ack wait on every delivery; released when the test ends, so shutdown is quick.
        await Promise.race([hangsReleased, new Promise((resolve) => setTimeout(resolve, 20_000))]);
        throw new Error('gave up after hanging');
      case 'succeed':
        handledOrders.push(event.payload.orderId);
    }
  }
}

/**
 * Invariant 5 against a real JetStream and PostgreSQL: every message a
 * consumer gives up on (max deliveries, invalid, terminated) becomes exactly
 * one dead letter, in the DEAD_LETTERS stream and the table, also when the
 * advisory was emitted while nobody handled advisories; and an operator can
 * replay it to its consumer or discard it over REST.
 */
describe('dead letters', () => {
  const consumer = Consumers.paymentsOnInventoryReserved;
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'dead_letters' }));
    @Module({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
        DatabaseModule.forRoot({ url: db.url, poolSize: 5 }),
        JetStreamModule.forRootAsync({ useFactory: () => ({ servers: nats.url, name: 'dead-letters-test' }) }),
        DeadLettersApiModule,
      ],
      controllers: [ScriptedHandler],
    })
    class TestModule {}

    app = await createTestApp(TestModule, { logger: process.env.TEST_LOGS ? ['error', 'warn', 'log'] : false });
    app.setGlobalPrefix('api/v1');
    app.connectMicroservice({
      strategy: new JetStreamServer({
        name: 'dead-letters-test',
        servers: nats.url,
        consumers: [consumer],
        consumerSettings: { maxDeliver: 2, ackWaitMs: 1_000 },
        retry: { baseDelayMs: 50, maxDelayMs: 100 },
      }),
    });
    await app.init(); // provisions the dead-letter streams and starts the advisory consumer
    await app.startAllMicroservices();
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    releaseHangs();
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  const api = () => request(app.getHttpServer());

  async function publishOrder(behaviour: Behaviour) {
    const event = reservedOrderEvent();
    behaviourOf.set(event.payload.orderId, behaviour);
    const headers = natsHeaders();
    headers.set(Headers.TRACEPARENT, TRACEPARENT);
    const ack = await jetstream(nc).publish(event.type, encodeEnvelope(event), { msgID: event.id, headers });
    return { event, seq: ack.seq };
  }

  function deadLettersOfEvent(eventId: string) {
    return db.prisma.deadLetterEvent.findMany({ where: { eventId } });
  }

  async function oneDeadLetterOf(eventId: string, what: string) {
    await eventually(async () => (await deadLettersOfEvent(eventId)).length > 0, 15_000, what);
    const rows = await deadLettersOfEvent(eventId);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function deadLetterCopies(): Promise<number> {
    return (await jsm.streams.info(DeadLetterStreams.DEAD_LETTERS.name)).state.messages;
  }

  it('dead-letters a message that failed on every delivery: one row, one copy with the Dlq headers', async () => {
    const { event, seq } = await publishOrder('fail');
    const row = await oneDeadLetterOf(event.id, 'the max-deliveries dead letter');
    expect(row).toMatchObject({
      sourceStream: consumer.stream,
      streamSeq: BigInt(seq),
      consumer: consumer.durable,
      originalSubject: InventoryReserved.subject,
      reason: 'max_deliveries',
      deliveries: 2,
      eventType: InventoryReserved.type,
      status: 'PENDING',
      dataEncoding: 'utf8',
      version: 1,
    });
    expect(row.dataJson).toEqual(event);
    expect(row.headers).toEqual({ [Headers.MSG_ID]: event.id, [Headers.TRACEPARENT]: TRACEPARENT });

    const copy = await jsm.streams.getMessage(DeadLetterStreams.DEAD_LETTERS.name, { seq: Number(row.deadLetterSeq) });
    expect(copy?.subject).toBe(deadLetterSubject(consumer.stream, consumer.durable));
    expect(copy?.json()).toEqual(event);
    const dlqHeaders = { ...DeadLetterHeaders, TRACEPARENT: Headers.TRACEPARENT };
    expect(Object.fromEntries(Object.entries(dlqHeaders).map(([name, header]) => [name, copy?.header.get(header)]))).toEqual({
      REASON: 'max_deliveries',
      DETAIL: row.detail,
      DELIVERIES: '2',
      CONSUMER: consumer.durable,
      STREAM: consumer.stream,
      SEQUENCE: String(seq),
      ORIGINAL_SUBJECT: InventoryReserved.subject,
      ORIGINAL_MSG_ID: event.id,
      TRACEPARENT,
    });
    // The original stays in its stream: other consumers of INVENTORY may still need it.
    expect((await jsm.streams.getMessage(consumer.stream, { seq }))?.json()).toEqual(event);
  });

  it('dead-letters invalid messages at once with the codec’s reason, keeping binary bodies byte for byte', async () => {
    const js = jetstream(nc);
    const textId = uuidv7();
    const binaryId = uuidv7();
    const binary = new Uint8Array([0xff, 0x00, 0x7b, 0x0a]);
    await js.publish(InventoryReserved.subject, new TextEncoder().encode('not json {'), { msgID: textId });
    await js.publish(InventoryReserved.subject, binary, { msgID: binaryId });

    const text = await oneDeadLetterOf(textId, 'the invalid text message');
    expect(text).toMatchObject({ reason: 'invalid', detail: 'body is not JSON', deliveries: 1, data: 'not json {', dataEncoding: 'utf8', dataJson: null });
    const bytes = await oneDeadLetterOf(binaryId, 'the invalid binary message');
    expect(bytes).toMatchObject({ reason: 'invalid', dataEncoding: 'base64', data: Buffer.from(binary).toString('base64') });
    const copy = await jsm.streams.getMessage(DeadLetterStreams.DEAD_LETTERS.name, { seq: Number(bytes.deadLetterSeq) });
    expect(copy?.data).toEqual(binary);
  });

  it('dead-letters a valid event the handler rejects as permanent, as terminated', async () => {
    const { event } = await publishOrder('reject');
    const row = await oneDeadLetterOf(event.id, 'the terminated dead letter');
    expect(row).toMatchObject({ reason: 'terminated', deliveries: 1, eventType: InventoryReserved.type });
  });

  it('dead-letters a message whose handler hangs past the ack wait on every delivery', async () => {
    const { event } = await publishOrder('hang');
    const row = await oneDeadLetterOf(event.id, 'the timed-out dead letter');
    expect(row).toMatchObject({ reason: 'max_deliveries', deliveries: 2 });
  });

  it('records an advisory emitted while the advisory consumer was stopped, once it starts again', async () => {
    const advisories = app.get(AdvisoryConsumer);
    const { stream, durable } = DeadLetterConsumers.advisories;
    await advisories.stop();
    try {
      const { event } = await publishOrder('fail');
      await eventually(async () => (await jsm.consumers.info(stream, durable)).num_pending > 0, 15_000, 'the captured advisory');
      expect(await deadLettersOfEvent(event.id)).toHaveLength(0);
      await advisories.start();
      await oneDeadLetterOf(event.id, 'the dead letter of the captured advisory');
    } finally {
      await advisories.start();
    }
  });

  it('makes one dead letter and one copy of an advisory handled twice, also concurrently', async () => {
    const { event } = await publishOrder('fail');
    const row = await oneDeadLetterOf(event.id, 'the first dead letter');
    const advisory: ConsumerAdvisory = {
      kind: 'max_deliveries',
      stream: row.sourceStream,
      consumer: row.consumer,
      streamSeq: Number(row.streamSeq),
      deliveries: row.deliveries,
    };
    const recorder = app.get(DeadLetterRecorder);
    const copies = await deadLetterCopies();
    expect(await recorder.record(advisory)).toBe('already-recorded');

    // A handler that published the copy and died before its insert: the row is missing, the copy is not.
    await db.prisma.deadLetterEvent.delete({ where: { id: row.id } });
    const outcomes = await Promise.all([recorder.record(advisory), recorder.record(advisory)]);
    expect(outcomes.sort()).toEqual(['already-recorded', 'recorded']);
    const [again] = await deadLettersOfEvent(event.id);
    expect((await deadLettersOfEvent(event.id)).length).toBe(1);
    expect(again!.deadLetterSeq).toBe(row.deadLetterSeq); // the server dropped the re-published copies
    expect(await deadLetterCopies()).toBe(copies);
  });

  it('records a dead letter whose message has already left its stream, and refuses to replay it', async () => {
    const recorder = app.get(DeadLetterRecorder);
    const advisory: ConsumerAdvisory = { kind: 'max_deliveries', stream: consumer.stream, consumer: consumer.durable, streamSeq: 987_654, deliveries: 2 };
    expect(await recorder.record(advisory)).toBe('recorded');
    const row = await db.prisma.deadLetterEvent.findFirstOrThrow({ where: { streamSeq: 987_654 } });
    expect(row).toMatchObject({ originalSubject: null, data: null, eventId: null });
    expect(row.detail).toMatch(/no longer in its stream/);
    const replay = await api().post(`/api/v1/dead-letters/${row.id}/replay`);
    expect(replay.status).toBe(409);
  });

  it('replays a dead letter to its original subject, where the fixed consumer processes it', async () => {
    const { event } = await publishOrder('fail');
    const row = await oneDeadLetterOf(event.id, 'the dead letter to replay');
    behaviourOf.set(event.payload.orderId, 'succeed'); // the bug is fixed

    const detail = await api().get(`/api/v1/dead-letters/${row.id}`).expect(200);
    expect(detail.body).toMatchObject({ id: row.id, payload: event, headers: { [Headers.MSG_ID]: event.id }, replays: [] });

    const replayed = await api().post(`/api/v1/dead-letters/${row.id}/replay`).expect(200);
    expect(replayed.body).toMatchObject({
      status: 'REPLAYED',
      replayCount: 1,
      version: 2,
      replays: [{ publishedMsgId: `replay:${row.id}:1`, result: 'stored' }],
    });
    await eventually(() => handledOrders.includes(event.payload.orderId), 15_000, 'the replayed event handled');
    const republished = await jsm.streams.getMessage(consumer.stream, { seq: replayed.body.replays[0].publishedSeq });
    expect(republished?.subject).toBe(InventoryReserved.subject);
    expect(republished?.json()).toEqual(event);
    expect(republished?.header.get(Headers.TRACEPARENT)).toBe(TRACEPARENT);
  });

  it('replays what a filter matches, oldest first, and skips what is not pending', async () => {
    const since = new Date().toISOString();
    const first = await publishOrder('reject');
    const second = await publishOrder('reject');
    const rows = [await oneDeadLetterOf(first.event.id, 'first'), await oneDeadLetterOf(second.event.id, 'second')];
    behaviourOf.set(first.event.payload.orderId, 'succeed');
    behaviourOf.set(second.event.payload.orderId, 'succeed');
    await api().post(`/api/v1/dead-letters/${rows[1]!.id}/discard`).send({ reason: 'obsolete' }).expect(200);

    const filter = { consumer: consumer.durable, reason: 'terminated', subject: InventoryReserved.subject, from: since };
    const pending = await api().post('/api/v1/dead-letters/replay').send(filter).expect(200);
    expect(pending.body).toEqual({ replayed: 1, skipped: 0 }); // PENDING only, by default
    const discarded = await api().post('/api/v1/dead-letters/replay').send({ ...filter, status: 'DISCARDED' }).expect(200);
    expect(discarded.body).toEqual({ replayed: 0, skipped: 1 });
    await eventually(() => handledOrders.includes(first.event.payload.orderId), 15_000, 'the bulk-replayed event handled');
    expect(handledOrders).not.toContain(second.event.payload.orderId);
  });

  it('discards with a reason; a discarded dead letter cannot be discarded or replayed again (409)', async () => {
    const { event } = await publishOrder('reject');
    const row = await oneDeadLetterOf(event.id, 'the dead letter to discard');
    const discarded = await api().post(`/api/v1/dead-letters/${row.id}/discard`).send({ reason: 'customer refunded by hand' }).expect(200);
    expect(discarded.body).toMatchObject({ status: 'DISCARDED', discardReason: 'customer refunded by hand', version: 2 });
    await api().post(`/api/v1/dead-letters/${row.id}/discard`).send({ reason: 'again' }).expect(409);
    const replay = await api().post(`/api/v1/dead-letters/${row.id}/replay`).expect(409);
    expect(replay.body.message).toMatch(/discarded/);
  });

  it('documents every endpoint under the dead-letters tag, with examples', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.includes('dead-letters'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, tags: (op as { tags?: string[] }).tags })));
    expect(operations.map((o) => o.route).sort()).toEqual([
      'GET /api/v1/dead-letters',
      'GET /api/v1/dead-letters/{id}',
      'POST /api/v1/dead-letters/replay',
      'POST /api/v1/dead-letters/{id}/discard',
      'POST /api/v1/dead-letters/{id}/replay',
    ]);
    for (const operation of operations) expect(operation.tags).toEqual(['dead-letters']);
    const detail = document.components?.schemas?.['DeadLetterDetailDto'] as { properties: Record<string, { example?: unknown }> };
    expect(detail.properties['reason']?.example).toBe('max_deliveries');
    // The API's own example (an orders.created), not this test's events.
    expect(detail.properties['payload']?.example).toMatchObject({ type: OrderCreated.type });
  });

  it('lists newest first with filters and a cursor, and answers 400 and 404 like the rest of the API', async () => {
    const page = await api().get('/api/v1/dead-letters').query({ reason: 'invalid', limit: 1 }).expect(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ reason: 'invalid', consumer: consumer.durable });
    const next = await api().get('/api/v1/dead-letters').query({ reason: 'invalid', limit: 1, cursor: page.body.nextCursor }).expect(200);
    expect(next.body.items[0].id < page.body.items[0].id).toBe(true);
    const none = await api().get('/api/v1/dead-letters').query({ from: new Date(Date.now() + 60_000).toISOString() }).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });

    const badQuery = await api().get('/api/v1/dead-letters').query({ reason: 'bored', from: 'yesterday' }).expect(400);
    expect(badQuery.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'reason']);
    const badId = await api().get('/api/v1/dead-letters/not-a-uuid').expect(400);
    expect(badId.body.errors).toEqual([{ field: 'id', rule: 'format', reason: 'id must be a UUID' }]);
    await api().get(`/api/v1/dead-letters/${uuidv7()}`).expect(404);
    await api().post(`/api/v1/dead-letters/${uuidv7()}/replay`).expect(404);
    const noReason = await api().post(`/api/v1/dead-letters/${uuidv7()}/discard`).send({}).expect(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    await api().post('/api/v1/dead-letters/replay').send({ limit: 0, colour: 'red' }).expect(400);
  });
});
