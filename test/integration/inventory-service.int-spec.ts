import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { serviceNatsOptions } from '#bootstrap';
import {
  InventoryCommitted,
  InventoryLowStock,
  InventoryOutOfStock,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
  InventoryUpdated,
  OrderCreated,
  PaymentFailed,
  PaymentVoided,
  ShipmentCancelled,
  ShipmentDispatched,
  consumersOf,
  type EventDefinition,
} from '#contracts';
import { JetStreamPublisher, JetStreamServer, encodeEnvelope } from '#jetstream';
import { generatePipelineApiKeys, startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/events.js';
import { createTestApp } from './support/nest-app.js';
import { sampleEvent } from './support/sample-events.js';

/**
 * The inventory service on a real NATS server and PostgreSQL: the saga's
 * first step (reserve every line or reject), its compensation (release) and
 * its last step (commit), each exactly once whatever the order of the events
 * and their redeliveries; never an oversold unit under real concurrency;
 * stock alerts once per crossing; the catalog's REST routes.
 */
describe('inventory service', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;
  let publisher: JetStreamPublisher;
  let operatorKey: string;
  let readerKey: string;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'inventory' }));
    const { keys, env: apiKeys } = generatePipelineApiKeys();
    operatorKey = keys.operator;
    readerKey = keys.reader;
    // As its own NATS user, allowed what its contracts say it emits and consumes.
    const natsEnv = { NATS_URL: nats.url, NATS_USER: 'inventory', NATS_PASSWORD: nats.credentials['inventory'].pass };
    Object.assign(process.env, { ...natsEnv, DATABASE_URL: db.url, PORT: '0', OUTBOX_POLL_INTERVAL_MS: '100', API_KEYS: apiKeys });
    // Imported after the environment is set: the module validates it on load.
    const { InventoryModule } = await import('../../apps/inventory/src/inventory.module.js');
    const { configureInventoryHttp } = await import('../../apps/inventory/src/configure-http.js');
    const { API_HTTP_APP_OPTIONS } = await import('#http-api');
    app = await createTestApp(InventoryModule, { ...API_HTTP_APP_OPTIONS, logger: ['error'] });
    configureInventoryHttp(app);
    app.connectMicroservice({
      strategy: new JetStreamServer({ ...serviceNatsOptions('inventory', natsEnv), consumers: consumersOf('inventory') }),
    });
    await app.startAllMicroservices();
    await app.init();
    nc = await connect({ servers: nats.url }); // the admin: publishes as the other services would
    publisher = new JetStreamPublisher(jetstream(nc));
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  /** A product of its own for each test, so the tests' stock never meets. */
  async function product(onHand: number, lowStockThreshold = 0): Promise<string> {
    const sku = `TEST-${uuidv7().slice(-12).toUpperCase()}`;
    await db.prisma.product.create({ data: { id: uuidv7(), sku, name: `test product ${sku}`, priceCents: 100, currency: 'EUR', onHand, lowStockThreshold } });
    return sku;
  }

  const stockOf = (sku: string) => db.prisma.product.findUniqueOrThrow({ where: { sku }, select: { onHand: true, reserved: true, version: true } });

  function orderCreated(lines: Array<{ sku: string; quantity: number }>, orderId = uuidv7()) {
    return sampleEvent(OrderCreated, {
      orderId,
      customerId: 'cust-inventory',
      currency: 'EUR',
      lines: lines.map((line) => ({ ...line, unitPriceCents: 100 })),
      totalCents: lines.reduce((sum, line) => sum + line.quantity * 100, 0),
    });
  }

  /** Publishes the event, and again under another msg id (a copy the server keeps: only the inbox can tell). */
  async function publishTwice(event: { id: string; type: string }): Promise<void> {
    const data = encodeEnvelope(event as never);
    await publisher.publish({ subject: event.type, msgId: event.id, data });
    await publisher.publish({ subject: event.type, msgId: `${event.id}-copy`, data });
  }

  const reservationOf = (orderId: string) => db.prisma.reservation.findUnique({ where: { orderId } });

  /** The events of `definition` the outbox holds about `orderId` (payload.orderId). */
  async function emitted(definition: EventDefinition, orderId: string): Promise<Array<{ payload: Record<string, unknown> }>> {
    const rows = await db.prisma.inventoryOutboxEvent.findMany({ where: { type: definition.type } });
    return rows.map((row) => row.envelope as { payload: Record<string, unknown> }).filter((e) => e.payload['orderId'] === orderId);
  }

  async function settled(orderId: string, status: string): Promise<void> {
    await eventually(async () => (await reservationOf(orderId))?.status === status, 20_000, `reservation of ${orderId} ${status}`);
  }

  it('reserves every line of an order once, a copy of the event holding nothing more', async () => {
    const [a, b] = [await product(10), await product(5)];
    const event = orderCreated([{ sku: a, quantity: 3 }, { sku: b, quantity: 2 }, { sku: a, quantity: 1 }]);
    await publishTwice(event);
    await settled(event.payload.orderId, 'RESERVED');
    await eventually(async () => (await db.prisma.inventoryInboxEvent.findFirst({ where: { eventId: event.id } }))?.duplicates === 1, 20_000, 'the copy counted');
    expect(await stockOf(a)).toMatchObject({ onHand: 10, reserved: 4 });
    expect(await stockOf(b)).toMatchObject({ onHand: 5, reserved: 2 });
    const [reserved, ...more] = await emitted(InventoryReserved, event.payload.orderId);
    expect(more).toEqual([]);
    expect(reserved.payload).toMatchObject({ customerId: 'cust-inventory', currency: 'EUR', totalCents: 600 });
  });

  it('rejects an order with the SKUs that were short, holding none of its lines', async () => {
    const [plenty, scarce] = [await product(50), await product(1)];
    const event = orderCreated([{ sku: plenty, quantity: 5 }, { sku: scarce, quantity: 2 }, { sku: 'NOT-IN-CATALOG', quantity: 1 }]);
    await publishTwice(event);
    await settled(event.payload.orderId, 'REJECTED');
    expect(await stockOf(plenty)).toMatchObject({ onHand: 50, reserved: 0 });
    expect(await stockOf(scarce)).toMatchObject({ onHand: 1, reserved: 0 });
    const [rejected] = await emitted(InventoryRejected, event.payload.orderId);
    expect(rejected.payload['shortages']).toEqual([
      { sku: scarce, requested: 2, available: 1, known: true },
      { sku: 'NOT-IN-CATALOG', requested: 1, available: 0, known: false },
    ]);
    expect(await emitted(InventoryReserved, event.payload.orderId)).toEqual([]);
  });

  it('never oversells: orders racing for the last units in concurrent transactions, exactly as many win as there are units', async () => {
    const { ReserveStockService } = await import('../../apps/inventory/src/reserve-stock/reserve-stock.service.js');
    const reserveStock = app.get(ReserveStockService);
    const products = await Promise.all(Array.from({ length: 10 }, () => product(3)));
    // Per product, eight orders for one unit each, every one in a transaction of its own, all at once.
    const orders = products.flatMap((sku) => Array.from({ length: 8 }, () => orderCreated([{ sku, quantity: 1 }])));
    const outcomes = await Promise.all(orders.map((event) => reserveStock.applyBatch('race-test', [{ envelope: event }])));
    expect(outcomes.flat().every((o) => o.outcome === 'applied')).toBe(true);
    for (const sku of products) {
      const won = orders.filter((o) => o.payload.lines[0].sku === sku);
      const statuses = await Promise.all(won.map(async (o) => (await reservationOf(o.payload.orderId))!.status));
      expect(statuses.filter((s) => s === 'RESERVED')).toHaveLength(3);
      expect(statuses.filter((s) => s === 'REJECTED')).toHaveLength(5);
      expect(await stockOf(sku)).toMatchObject({ onHand: 3, reserved: 3 });
    }
  });

  it('releases a reservation once, whichever of failed, voided and cancelled comes and however often', async () => {
    const sku = await product(10);
    const created = orderCreated([{ sku, quantity: 4 }]);
    const { orderId } = created.payload;
    await publishTwice(created);
    await settled(orderId, 'RESERVED');
    for (const event of [sampleEvent(ShipmentCancelled, { orderId, shipmentId: null }), sampleEvent(PaymentFailed, { orderId }), sampleEvent(PaymentVoided, { orderId })]) {
      await publishTwice(event);
    }
    await settled(orderId, 'RELEASED');
    // Every consumer's copy and event has been seen: 2 per event, 4 events (created included).
    await eventually(async () => (await db.prisma.inventoryInboxEvent.count({ where: { eventType: { in: [ShipmentCancelled.type, PaymentFailed.type, PaymentVoided.type] }, duplicates: 1 } })) >= 3, 20_000, 'every release event and its copy seen');
    expect(await stockOf(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await emitted(InventoryReleased, orderId)).toHaveLength(1);
    // A dispatch after a release cannot happen in the saga; should it come, it commits nothing.
    const dispatched = sampleEvent(ShipmentDispatched, { orderId });
    await publishTwice(dispatched);
    await eventually(async () => (await db.prisma.inventoryInboxEvent.findFirst({ where: { eventId: dispatched.id } }))?.duplicates === 1, 20_000, 'the dispatch seen');
    expect(await stockOf(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await emitted(InventoryCommitted, orderId)).toEqual([]);
  });

  it('commits a dispatched reservation once: on hand goes down by its units', async () => {
    const sku = await product(10);
    const created = orderCreated([{ sku, quantity: 4 }]);
    const { orderId } = created.payload;
    await publishTwice(created);
    await settled(orderId, 'RESERVED');
    await publishTwice(sampleEvent(ShipmentDispatched, { orderId }));
    await publishTwice(sampleEvent(ShipmentDispatched, { orderId }));
    await settled(orderId, 'COMMITTED');
    await eventually(async () => (await db.prisma.inventoryInboxEvent.count({ where: { eventType: ShipmentDispatched.type, duplicates: 1 } })) >= 2, 20_000, 'both dispatches seen');
    expect(await stockOf(sku)).toMatchObject({ onHand: 6, reserved: 0 });
    expect(await emitted(InventoryCommitted, orderId)).toHaveLength(1);
  });

  it('holds nothing for an order cancelled before its orders.created arrived', async () => {
    const sku = await product(10);
    const orderId = uuidv7();
    await publishTwice(sampleEvent(ShipmentCancelled, { orderId, shipmentId: null }));
    await settled(orderId, 'CANCELLED');
    const created = orderCreated([{ sku, quantity: 2 }], orderId);
    await publishTwice(created);
    await eventually(async () => (await db.prisma.inventoryInboxEvent.findFirst({ where: { eventId: created.id } }))?.duplicates === 1, 20_000, 'the late orders.created seen');
    expect((await reservationOf(orderId))!.status).toBe('CANCELLED');
    expect(await stockOf(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await emitted(InventoryReserved, orderId)).toEqual([]);
  });

  it('sends low-stock and out-of-stock once per crossing, and inventory.updated with the level after each batch', async () => {
    const sku = await product(10, 3);
    const orders = Array.from({ length: 5 }, () => orderCreated([{ sku, quantity: 2 }]));
    for (const order of orders) await publishTwice(order);
    await Promise.all(orders.map((o) => settled(o.payload.orderId, 'RESERVED')));
    const stockEvents = async (definition: EventDefinition) =>
      (await db.prisma.inventoryOutboxEvent.findMany({ where: { type: definition.type }, orderBy: { createdAt: 'asc' } }))
        .map((row) => (row.envelope as { payload: { sku: string; available: number; version: number } }).payload)
        .filter((payload) => payload.sku === sku);
    expect(await stockEvents(InventoryLowStock)).toHaveLength(1);
    expect(await stockEvents(InventoryOutOfStock)).toHaveLength(1);
    const updates = await stockEvents(InventoryUpdated);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(5);
    expect(updates.at(-1)).toMatchObject({ available: 0, version: (await stockOf(sku)).version });
    // Versions only go up: a consumer keeping the highest it saw has the latest level.
    expect(updates.map((u) => u.version)).toEqual([...updates.map((u) => u.version)].sort((x, y) => x - y));

    // Restocked above the threshold and sold down again: a second crossing, a second alert.
    const { version } = await stockOf(sku);
    const restocked = await request(app.getHttpServer())
      .post(`/api/v1/products/${sku}/restock`)
      .set('x-api-key', operatorKey)
      .send({ quantity: 10, version });
    expect(restocked.status).toBe(200);
    expect(restocked.body).toMatchObject({ sku, onHand: 20, reserved: 10, available: 10, version: version + 1 });
    const more = orderCreated([{ sku, quantity: 8 }]);
    await publishTwice(more);
    await settled(more.payload.orderId, 'RESERVED');
    expect(await stockEvents(InventoryLowStock)).toHaveLength(2);
  });

  it('serves the catalog and refuses a stale, unknown or malformed restock with 409, 404 and 400', async () => {
    const sku = await product(7, 2);
    const api = () => request(app.getHttpServer());
    const got = await api().get(`/api/v1/products/${sku}`).set('x-api-key', operatorKey);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ sku, onHand: 7, reserved: 0, available: 7, lowStockThreshold: 2, lowStock: false, version: 1 });
    const list = await api().get('/api/v1/products?limit=500').set('x-api-key', operatorKey);
    expect(list.status).toBe(200);
    // The seeded catalog is there too (the migration's three dozen products).
    expect(list.body.items.map((p: { sku: string }) => p.sku)).toEqual(expect.arrayContaining(['COFFEE-BEANS-1KG', sku]));

    const stale = await api().post(`/api/v1/products/${sku}/restock`).set('x-api-key', operatorKey).send({ quantity: 5, version: 99 });
    expect(stale.status).toBe(409);
    expect((await stockOf(sku)).onHand).toBe(7);
    expect((await api().post('/api/v1/products/NO-SUCH-SKU/restock').set('x-api-key', operatorKey).send({ quantity: 5, version: 1 })).status).toBe(404);
    expect((await api().get('/api/v1/products/NO-SUCH-SKU').set('x-api-key', operatorKey)).status).toBe(404);
    const malformed = await api().post(`/api/v1/products/${sku}/restock`).set('x-api-key', operatorKey).send({ quantity: -1, version: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['quantity', 'version']);
    // Restocking is an operator's act; reading needs a key.
    expect((await api().get(`/api/v1/products/${sku}`)).status).toBe(401);
    expect((await api().get(`/api/v1/products/${sku}`).set('x-api-key', readerKey)).status).toBe(200);
    expect((await api().post(`/api/v1/products/${sku}/restock`).set('x-api-key', readerKey).send({ quantity: 1, version: 1 })).status).toBe(403);
  });
});
