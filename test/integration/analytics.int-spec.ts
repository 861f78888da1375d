import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import {
  InventoryRejected,
  OrderCancelled,
  OrderCreated,
  PaymentFailed,
  PaymentRefunded,
  PaymentSucceeded,
  consumersOf,
  type EventDefinition,
  type EventEnvelope,
} from '#contracts';
import { JetStreamPublisher, encodeEnvelope } from '#jetstream';
import { generatePipelineApiKeys, serverSentJson, startNatsServer, startTogether, type NatsServer, type PipelineApiKeys } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/events.js';
import { startServiceApp } from './support/service-app.js';

type Outcome = 'CREATED' | 'PAID' | 'FAILED' | 'CANCELLED' | 'REJECTED';

interface KnownOrder {
  customerId: string;
  outcome: Outcome;
  currency?: string;
  lines: Array<{ sku: string; quantity: number; unitPriceCents: number }>;
  /** Minutes ago; the order was placed then. */
  minutesAgo?: number;
}

/**
 * The analytics service on a real NATS server and PostgreSQL: a known set of
 * order, stock and payment events, published out of order across subjects
 * (every payment and stock event before its order's orders.created), each
 * twice under the same msg id (the server drops the copy) and once more under
 * a new one (a redelivery the inbox drops), and GET /api/v1/analytics checked
 * figure by figure against a hand count. Then the live feed: an update after a
 * new order.
 */
describe('analytics service (real NATS and PostgreSQL)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: JetStreamPublisher;
  let keys: PipelineApiKeys;
  let baseUrl: string;

  // The same orders as orders-api's stats test had, so the figures carry over, and one that inventory rejected.
  const orders: KnownOrder[] = [
    // Revenue (paid, not refunded), EUR.
    { customerId: 'alice', outcome: 'PAID', lines: [{ sku: 'SKU-A', quantity: 2, unitPriceCents: 500 }] }, // 1000
    { customerId: 'alice', outcome: 'PAID', lines: [{ sku: 'SKU-B', quantity: 3, unitPriceCents: 1000 }] }, // 3000
    { customerId: 'bob', outcome: 'PAID', lines: [{ sku: 'SKU-A', quantity: 4, unitPriceCents: 500 }, { sku: 'SKU-C', quantity: 1, unitPriceCents: 250 }] }, // 2250
    { customerId: 'carol', outcome: 'PAID', lines: [{ sku: 'SKU-C', quantity: 1, unitPriceCents: 250 }], minutesAgo: 120 }, // 250, old
    { customerId: 'dave', outcome: 'PAID', lines: [{ sku: 'SKU-D', quantity: 1, unitPriceCents: 100 }] }, // 100
    { customerId: 'erin', outcome: 'PAID', lines: [{ sku: 'SKU-E', quantity: 1, unitPriceCents: 50 }] }, // 50
    { customerId: 'frank', outcome: 'PAID', lines: [{ sku: 'SKU-F', quantity: 1, unitPriceCents: 10 }] }, // 10
    // Revenue in another currency: never added to the euros.
    { customerId: 'gina', outcome: 'PAID', currency: 'USD', lines: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 700 }] },
    // Not revenue.
    { customerId: 'bob', outcome: 'FAILED', lines: [{ sku: 'SKU-B', quantity: 50, unitPriceCents: 1000 }] },
    { customerId: 'alice', outcome: 'CANCELLED', lines: [{ sku: 'SKU-B', quantity: 9, unitPriceCents: 1000 }], minutesAgo: 30 }, // paid, then refunded 9000
    { customerId: 'carol', outcome: 'CREATED', lines: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 500 }] },
    { customerId: 'carol', outcome: 'CREATED', lines: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 500 }], minutesAgo: 5 },
    // Rejected by inventory for want of stock: created, never charged.
    { customerId: 'hank', outcome: 'REJECTED', lines: [{ sku: 'SKU-G', quantity: 99, unitPriceCents: 100 }] },
  ];
  const now = Date.now();

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'analytics' }));
    const generated = generatePipelineApiKeys();
    keys = generated.keys;
    // One import after the other (Jest's ESM loader); the module itself is imported once the environment is set.
    const { configureAnalyticsHttp } = await import('../../apps/analytics/src/configure-http.js');
    const { API_HTTP_APP_OPTIONS } = await import('#http-api');
    app = await startServiceApp({
      service: 'analytics',
      nats,
      databaseUrl: db.url,
      env: { METRICS_LOG_INTERVAL_MS: '0', API_KEYS: generated.env },
      http: { options: API_HTTP_APP_OPTIONS, configure: configureAnalyticsHttp },
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    nc = await connect({ servers: nats.url }); // the admin: publishes and inspects
    jsm = await jetstreamManager(nc);
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  const api = (key = keys.reader) => request.agent(app.getHttpServer()).set('X-API-Key', key);

  it('consumes exactly the six subjects the figures need, on durables of its own', () => {
    expect(consumersOf('analytics').map((c) => [c.durable, c.filterSubject])).toEqual([
      ['analytics--orders-created', 'orders.created'],
      ['analytics--orders-cancelled', 'orders.cancelled'],
      ['analytics--payments-succeeded', 'payments.succeeded'],
      ['analytics--payments-failed', 'payments.failed'],
      ['analytics--payments-refunded', 'payments.refunded'],
      ['analytics--inventory-rejected', 'inventory.rejected'],
    ]);
  });

  it('counts every figure as a hand count does, whatever the order and however often events arrive', async () => {
    const created: EventEnvelope[] = [];
    const later: EventEnvelope[] = [];
    for (const order of orders) {
      const orderId = uuidv7();
      const at = new Date(now - (order.minutesAgo ?? 0) * 60_000);
      const lines = order.lines;
      const totalCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
      created.push(event(OrderCreated, at, { orderId, customerId: order.customerId, currency: order.currency ?? 'EUR', lines, totalCents }));
      const paymentId = uuidv7();
      if (order.outcome === 'PAID' || order.outcome === 'CANCELLED') {
        later.push(event(PaymentSucceeded, at, { orderId, paymentId, amountCents: totalCents, gatewayReference: 'gw-1' }));
      }
      if (order.outcome === 'FAILED') later.push(event(PaymentFailed, at, { orderId, paymentId, amountCents: totalCents, reason: 'card_declined' }));
      if (order.outcome === 'CANCELLED') {
        later.push(event(OrderCancelled, at, { orderId, reason: 'changed my mind' }));
        later.push(event(PaymentRefunded, at, { orderId, paymentId, amountCents: totalCents, gatewayReference: 'gw-1', refundReference: 'rf-1' }));
      }
      if (order.outcome === 'REJECTED') {
        const shortages = lines.map((l) => ({ sku: l.sku, requested: l.quantity, available: 0, known: false }));
        later.push(event(InventoryRejected, at, { orderId, reservationId: uuidv7(), shortages }));
      }
    }
    // Out of order: every payment, cancellation and rejection before the orders.created of its order.
    const all = [...later.reverse(), ...created];
    for (const e of all) await publish(e, e.id);
    for (const e of all) await publish(e, e.id); // the same msg id: the server drops it
    for (const e of all) await publish(e, `${e.id}-again`); // a redelivery: the inbox drops it

    await eventually(
      async () => (await db.prisma.analyticsInboxEvent.count({ where: { duplicates: 1 } })) === all.length,
      30_000,
      'every event applied once and its redelivery counted',
    );
    await eventually(async () => {
      const pending = await Promise.all(consumersOf('analytics').map((c) => jsm.consumers.info(c.stream, c.durable)));
      return pending.every((info) => info.num_ack_pending === 0 && info.num_pending === 0);
    }, 10_000, 'every message acknowledged');

    const { body } = await api().get('/api/v1/analytics').expect(200);
    expect(body.orders).toEqual({ created: 13, paid: 8, failed: 1, cancelled: 1, refunded: 1, rejected: 1 });
    expect(body.revenue).toEqual([
      // 6660 / 7 = 951.43; the cancelled order's 9000 was paid and refunded.
      { currency: 'EUR', ordersCreated: 12, ordersPaid: 7, revenueCents: 6660, refundedCents: 9000, averageOrderValueCents: 951 },
      { currency: 'USD', ordersCreated: 1, ordersPaid: 1, revenueCents: 700, refundedCents: 0, averageOrderValueCents: 700 },
    ]);
    expect(body.topCustomers).toEqual([
      { customerId: 'alice', currency: 'EUR', orders: 2, revenueCents: 4000 },
      { customerId: 'bob', currency: 'EUR', orders: 1, revenueCents: 2250 },
      { customerId: 'gina', currency: 'USD', orders: 1, revenueCents: 700 },
      { customerId: 'carol', currency: 'EUR', orders: 1, revenueCents: 250 },
      { customerId: 'dave', currency: 'EUR', orders: 1, revenueCents: 100 },
    ]);
    expect(body.topProducts).toEqual([
      { sku: 'SKU-A', currency: 'EUR', quantity: 6, revenueCents: 3000 },
      { sku: 'SKU-B', currency: 'EUR', quantity: 3, revenueCents: 3000 },
      { sku: 'SKU-C', currency: 'EUR', quantity: 2, revenueCents: 500 },
      { sku: 'SKU-A', currency: 'USD', quantity: 1, revenueCents: 700 },
      { sku: 'SKU-D', currency: 'EUR', quantity: 1, revenueCents: 100 },
    ]);
    // By the orders' own times: 10 now, one 5 and one 30 minutes ago; the one of 2 hours ago is outside the hour.
    expect(body.ordersPerMinute).toEqual([
      { minute: minuteOf(now - 30 * 60_000), orders: 1 },
      { minute: minuteOf(now - 5 * 60_000), orders: 1 },
      { minute: minuteOf(now), orders: 10 },
    ]);
  });

  it('pushes new figures on the live feed after an order, to a client with a key', async () => {
    await api('no-such-key').get('/api/v1/analytics/stream').expect(401);
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/api/v1/analytics/stream`, { headers: { 'X-API-Key': keys.reader }, signal: abort.signal });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = serverSentJson<any>(response);
      const first = await events.next();
      const before = first.value.orders.created as number;

      const orderId = uuidv7();
      await publish(
        event(OrderCreated, new Date(), { orderId, customerId: 'zoe', currency: 'EUR', lines: [{ sku: 'SKU-Z', quantity: 1, unitPriceCents: 1 }], totalCents: 1 }),
      );
      let update = await events.next();
      while (!update.done && update.value.orders.created === before) update = await events.next();
      expect(update.value.orders.created).toBe(before + 1);
    } finally {
      abort.abort();
    }
  });

  it('documents the routes and their response in OpenAPI, behind the API key', async () => {
    const { body } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(body.paths['/api/v1/analytics'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/AnalyticsDto');
    expect(body.paths['/api/v1/analytics/stream'].get.responses['200'].content['text/event-stream']).toBeDefined();
    expect(body.paths['/api/v1/analytics'].get.security).toEqual([{ 'api-key': [] }]);
    expect(body.components.securitySchemes['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    await request(app.getHttpServer()).get('/api/v1/analytics').expect(401);
  });

  async function publish(e: EventEnvelope, msgId = e.id): Promise<void> {
    await publisher.publish({ subject: e.type, msgId, data: encodeEnvelope(e) });
  }

});

function event<P extends { orderId: string }>(definition: EventDefinition, at: Date, payload: P): EventEnvelope<P> {
  const id = uuidv7();
  return {
    id,
    type: definition.type,
    schemaVersion: definition.schemaVersion,
    occurredAt: at.toISOString(),
    aggregateId: payload.orderId,
    correlationId: id,
    causationId: id,
    payload,
  };
}

function minuteOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}:00Z`;
}
