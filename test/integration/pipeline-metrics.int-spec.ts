import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Module, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, ShipmentPrepared, Streams, type EnvelopeOf } from '#contracts';
import { AppliedEvents, DeadLetterRecorder, parseAdvisory, provisionDeadLetterStreams } from '#dead-letters';
import { JetStreamPublisher, JetStreamServer, MessageController, encodeEnvelope } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { metricValue, summaryLine } from '#metrics';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually, reservedOrderEvent } from './support/events.js';
import { metricDelta, scrapeMetrics } from './support/metrics.js';
import { envelopeFor } from './support/envelope.js';
import { startServiceApp } from './support/service-app.js';
import { createTestMicroservice } from './support/nest-app.js';

/** Fails the first delivery of every event, so each one is retried exactly once; fails every delivery of `alwaysFail`. */
const attempts = new Map<string, number>();
const alwaysFail = new Set<string>();
@MessageController()
class FailOnceHandler {
  @EventPattern(ShipmentPrepared.subject)
  async handle(@Payload() event: EnvelopeOf<typeof ShipmentPrepared>): Promise<void> {
    const attempt = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, attempt);
    if (attempt === 1 || alwaysFail.has(event.id)) throw new Error('transient failure (test)');
  }
}
@Module({ controllers: [FailOnceHandler] })
class FailOnceModule {}

/**
 * The pipeline's counters as GET /metrics of the real payments service shows
 * them, with the real transport, NATS JetStream and PostgreSQL underneath. The
 * counters are per process, so the fail-once consumer (a second transport in
 * this process) shows up in the same scrape.
 */
describe('pipeline metrics (payments, real NATS and PostgreSQL)', () => {
  const charge = Consumers.paymentsOnInventoryReserved.durable;
  const failOnce = Consumers.shipmentsOnShipmentPrepared;
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let retrying: INestMicroservice;
  let nc: NatsConnection;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'metrics' }));
    app = await startServiceApp({
      service: 'payments',
      nats,
      databaseUrl: db.url,
      env: { PAYMENT_SUCCESS_RATE: '1', PAYMENT_LATENCY_MS: '0', OUTBOX_POLL_INTERVAL_MS: '100', METRICS_LOG_INTERVAL_MS: '0' },
    });
    retrying = await createTestMicroservice(FailOnceModule, {
      logger: false,
      strategy: new JetStreamServer({
        name: 'fail-once',
        servers: nats.url,
        consumers: [failOnce],
        retry: { baseDelayMs: 50, maxDelayMs: 100 },
      }),
    });
    await retrying.listen();
    nc = await connect({ servers: nats.url });
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await retrying?.close();
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  it('counts a redelivered event as processed and as a duplicate, and the payment once', async () => {
    const before = await scrapeMetrics(app);
    const event = reservedOrderEvent();
    await publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });
    await eventually(
      async () => (await db.prisma.payment.findUnique({ where: { orderId: event.payload.orderId } }))?.status === 'SUCCEEDED',
      10_000,
      'the payment to succeed',
    );
    // The same event under a new message id: the server stores it again, the inbox skips it.
    await publisher.publish({ subject: event.type, msgId: uuidv7(), data: encodeEnvelope(event) });

    const delta = (scrape: string, name: string, labels: Record<string, string>) => metricDelta(before, scrape, name, labels);
    let after = '';
    await eventually(
      async () => {
        after = await scrapeMetrics(app);
        return delta(after, 'pipeline_duplicates_skipped_total', { consumer: charge }) >= 1;
      },
      10_000,
      'the duplicate to be counted',
    );
    await eventually(
      async () => {
        after = await scrapeMetrics(app);
        return delta(after, 'pipeline_events_processed_total', { consumer: charge, outcome: 'acked' }) >= 2;
      },
      10_000,
      'both deliveries to be acked',
    );
    expect(delta(after, 'pipeline_duplicates_skipped_total', { consumer: charge, subject: event.type })).toBe(1);
    expect(delta(after, 'pipeline_events_processed_total', { consumer: charge, subject: event.type, outcome: 'acked' })).toBe(2);
    expect(delta(after, 'pipeline_retries_scheduled_total', { consumer: charge })).toBe(0);
    expect(delta(after, 'payments_settled_total', { outcome: 'succeeded' })).toBe(1);
    expect(delta(after, 'pipeline_handler_duration_seconds_count', { consumer: charge })).toBe(2);
  });

  it('counts a handler that fails once as one retry, then one ack', async () => {
    const before = await scrapeMetrics(app);
    const event = shipmentPreparedEvent();
    await publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });

    const labels = { consumer: failOnce.durable, subject: event.type };
    let after = '';
    await eventually(
      async () => {
        after = await scrapeMetrics(app);
        return metricDelta(before, after, 'pipeline_events_processed_total', { ...labels, outcome: 'acked' }) >= 1;
      },
      10_000,
      'the retried delivery to be acked',
    );
    const delta = (name: string, extra: Record<string, string> = {}) => metricDelta(before, after, name, { ...labels, ...extra });
    expect(delta('pipeline_retries_scheduled_total')).toBe(1);
    expect(delta('pipeline_events_processed_total', { outcome: 'retried' })).toBe(1);
    expect(delta('pipeline_events_processed_total', { outcome: 'acked' })).toBe(1);
    expect(delta('pipeline_events_processed_total', { outcome: 'terminated' })).toBe(0);
  });

  it('counts a message failing every delivery as retried, then terminated, then one dead letter', async () => {
    const before = await scrapeMetrics(app);
    const event = shipmentPreparedEvent();
    alwaysFail.add(event.id);
    const advisory = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${Streams.SHIPMENTS.name}.${failOnce.durable}`, {
      max: 1,
      timeout: 15_000,
    });
    await publisher.publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });
    // What the dead-letter office (orders-api) does with the advisory, done here, in its streams.
    const jsm = await jetstreamManager(nc);
    await provisionDeadLetterStreams(jsm);
    const recorder = new DeadLetterRecorder(db.prisma, jsm, jetstream(nc), new AppliedEvents(db.prisma));
    for await (const message of advisory) {
      expect(await recorder.record(parseAdvisory(message.subject, message.data))).toBe('recorded');
    }

    const labels = { consumer: failOnce.durable, subject: event.type };
    const after = await scrapeMetrics(app);
    const delta = (name: string, extra: Record<string, string>) => metricDelta(before, after, name, extra);
    // Three deliveries (the default limit): two handed back for a retry, the last one given up.
    expect(delta('pipeline_events_processed_total', { ...labels, outcome: 'retried' })).toBe(2);
    expect(delta('pipeline_retries_scheduled_total', labels)).toBe(2);
    expect(delta('pipeline_events_processed_total', { ...labels, outcome: 'terminated' })).toBe(1);
    expect(delta('pipeline_dead_letters_recorded_total', { consumer: failOnce.durable, reason: 'max_deliveries' })).toBe(1);
  });

  it('reports the outbox and consumer backlogs, process metrics and the METRICS line', async () => {
    await eventually(
      async () => metricValue(await scrapeMetrics(app), 'outbox_backlog_rows', { schema: 'payments' }) === 0,
      10_000,
      'the relay to empty the outbox',
    );
    const scrape = await scrapeMetrics(app);
    expect(scrape).toMatch(/^outbox_relay_lag_seconds\{schema="payments",service="payments"\} 0$/m);
    expect(scrape).toMatch(new RegExp(`^jetstream_consumer_pending_messages\\{stream="INVENTORY",durable="${charge}",service="payments"\\} 0$`, 'm'));
    expect(scrape).toMatch(new RegExp(`^jetstream_consumer_ack_pending_messages\\{stream="INVENTORY",durable="${charge}",service="payments"\\} 0$`, 'm'));
    expect(metricValue(scrape, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metricValue(scrape, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(metricValue(scrape, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThan(0);
    expect(await summaryLine()).toMatch(
      /^METRICS processed=\d+ acked=\d+ retried=\d+ terminated=\d+ duplicates=1 retries=3 dead_letters=1 outbox_backlog=0 relay_lag_s=0\.0$/,
    );
  });
});

function shipmentPreparedEvent(): EnvelopeOf<typeof ShipmentPrepared> {
  return envelopeFor(ShipmentPrepared, { shipmentId: uuidv7(), orderId: uuidv7(), paymentId: uuidv7(), warehouse: 'test-warehouse' });
}
