import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { OrderState } from '#contracts';
import { startNatsServer, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { startOrdersApi, type TestOrdersApi } from './support/orders-api.js';

interface KnownOrder {
  customerId: string;
  state: OrderState;
  currency?: string;
  lines: Array<{ sku: string; quantity: number; unitPriceCents: number }>;
  /** Minutes ago; the order (and its last state change) happened then. */
  minutesAgo?: number;
}

/**
 * GET /api/v1/stats of the real orders-api over known orders written straight
 * into a fresh database: every figure is checked against a hand count.
 */
describe('order stats (orders-api, real PostgreSQL)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let ordersApi: TestOrdersApi;

  const orders: KnownOrder[] = [
    // Revenue (paid or later), EUR.
    { customerId: 'alice', state: 'PAID', lines: [{ sku: 'SKU-A', quantity: 2, unitPriceCents: 500 }] }, // 1000
    { customerId: 'alice', state: 'SHIPPED', lines: [{ sku: 'SKU-B', quantity: 3, unitPriceCents: 1000 }] }, // 3000
    { customerId: 'bob', state: 'SHIPMENT_PREPARED', lines: [{ sku: 'SKU-A', quantity: 4, unitPriceCents: 500 }, { sku: 'SKU-C', quantity: 1, unitPriceCents: 250 }] }, // 2250
    { customerId: 'carol', state: 'SHIPPED', lines: [{ sku: 'SKU-C', quantity: 1, unitPriceCents: 250 }], minutesAgo: 120 }, // 250, old
    { customerId: 'dave', state: 'PAID', lines: [{ sku: 'SKU-D', quantity: 1, unitPriceCents: 100 }] }, // 100
    { customerId: 'erin', state: 'PAID', lines: [{ sku: 'SKU-E', quantity: 1, unitPriceCents: 50 }] }, // 50
    { customerId: 'frank', state: 'SHIPPED', lines: [{ sku: 'SKU-F', quantity: 1, unitPriceCents: 10 }] }, // 10
    // Revenue in another currency: never added to the euros.
    { customerId: 'gina', state: 'PAID', currency: 'USD', lines: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 700 }] },
    // Not revenue.
    { customerId: 'bob', state: 'FAILED', lines: [{ sku: 'SKU-B', quantity: 50, unitPriceCents: 1000 }] },
    { customerId: 'alice', state: 'CANCELLED', lines: [{ sku: 'SKU-B', quantity: 9, unitPriceCents: 1000 }], minutesAgo: 30 },
    { customerId: 'carol', state: 'CREATED', lines: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 500 }] },
    { customerId: 'carol', state: 'PAYMENT_PENDING', lines: [{ sku: 'SKU-A', quantity: 1, unitPriceCents: 500 }], minutesAgo: 5 },
  ];

  beforeAll(async () => {
    [nats, db] = await Promise.all([startNatsServer(), startTestDatabase({ label: 'stats' })]);
    ordersApi = await startOrdersApi(nats, db.url);
  });

  afterAll(async () => {
    await ordersApi?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  it('matches a hand count of the known orders', async () => {
    // Written just before the request, so "the last minute" holds all the recent ones.
    for (const order of orders) await insertOrder(db, order);
    const { body } = await ordersApi.as().get('/api/v1/stats').expect(200);

    expect(body.ordersByState).toEqual([
      { state: 'CREATED', orders: 1 },
      { state: 'PAYMENT_PENDING', orders: 1 },
      { state: 'PAID', orders: 4 },
      { state: 'SHIPMENT_PREPARED', orders: 1 },
      { state: 'SHIPPED', orders: 3 },
      { state: 'CANCELLING', orders: 0 },
      { state: 'FAILED', orders: 1 },
      { state: 'CANCELLED', orders: 1 },
    ]);
    expect(body.revenue).toEqual([
      { currency: 'EUR', orders: 7, revenueCents: 6660, averageOrderValueCents: 951 }, // 6660 / 7 = 951.43
      { currency: 'USD', orders: 1, revenueCents: 700, averageOrderValueCents: 700 },
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
    // In the last minute: all but the three older orders were created; SHIPPED (2 recent),
    // FAILED (1) reached a terminal state; the old SHIPPED and the CANCELLED one did so earlier.
    expect(body.throughput).toEqual({
      windowSeconds: 60,
      ordersCreated: 9,
      ordersCompleted: 3,
      createdPerSecond: 0.15,
      completedPerSecond: 0.05,
    });
  });

  it('is in the OpenAPI document', async () => {
    const { SwaggerModule, DocumentBuilder } = await import('@nestjs/swagger');
    const document = SwaggerModule.createDocument(ordersApi.app, new DocumentBuilder().build());
    expect(document.paths['/api/v1/stats']?.get?.responses['200']).toBeDefined();
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['OrderStatsDto', 'RevenueDto', 'TopCustomerDto', 'TopProductDto', 'ThroughputDto']),
    );
  });
});

/** Writes an order as orders-api would have left it: lines, and its history up to its state. */
async function insertOrder(db: TestDatabase, order: KnownOrder): Promise<void> {
  const at = new Date(Date.now() - (order.minutesAgo ?? 0) * 60_000);
  const id = uuidv7();
  const lines = order.lines.map((line, position) => ({ ...line, position, lineTotalCents: line.quantity * line.unitPriceCents }));
  await db.prisma.order.create({
    data: {
      id,
      customerId: order.customerId,
      state: order.state,
      currency: order.currency ?? 'EUR',
      totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
      version: 2,
      correlationId: uuidv7(),
      createdAt: at,
      lines: { create: lines },
      history: {
        create: [
          { fromState: null, toState: 'CREATED', version: 1, causationId: uuidv7(), occurredAt: at },
          ...(order.state === 'CREATED' ? [] : [{ fromState: 'CREATED' as const, toState: order.state, version: 2, causationId: uuidv7(), occurredAt: at }]),
        ],
      },
    },
  });
}
