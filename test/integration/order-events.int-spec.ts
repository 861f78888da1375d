import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers, OrderCreated, OrderState, PaymentFailed, PaymentInitiated, PaymentSucceeded, ShipmentPrepared } from '#contracts';
import { IdempotentBatchConsumer, KV_PUT_TYPE, OutboxWriter, UnitsOfWork } from '#messaging';
import { CreateOrderService, IdempotencyKeyReusedError } from '../../apps/orders-api/src/orders/create-order.service.js';
import { ApplyOrderEventService } from '../../apps/orders-api/src/orders/events/apply-order-event.service.js';
import { OrderTransitionsService } from '../../apps/orders-api/src/orders/order-transitions.service.js';
import { OrderViews } from '../../apps/orders-api/src/orders/order-views.js';
import { applyStateChanges } from '../../apps/orders-api/src/orders/order-rows.js';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { envelopeFor } from './support/envelope.js';
import { reservedOrderEvent } from './support/events.js';

/**
 * orders-api's own writes against a real PostgreSQL: an order is created with
 * its lines, first history entry and events; other services' events move it
 * (inventory's reservation first, then payments' and shipments')
 * once each (inbox), version-checked, with a history row and an
 * orders.state-changed event in the same transaction; an early event is
 * parked and applied with its predecessor.
 */
describe('orders-api order writes', () => {
  let db: TestDatabase;
  let views: OrderViews;
  let create: CreateOrderService;
  let apply: ApplyOrderEventService;
  const inventory = Consumers.ordersOnInventoryReserved.durable;
  const payments = Consumers.ordersOnPayments.durable;
  const shipments = Consumers.ordersOnShipments.durable;

  beforeAll(async () => {
    db = await startTestDatabase({ label: 'order_writes' });
    const units = new UnitsOfWork(db.sql, new OutboxWriter('orders'));
    views = new OrderViews(db.prisma, db.sql);
    create = new CreateOrderService(db.sql, units, views);
    apply = new ApplyOrderEventService(new IdempotentBatchConsumer(units, 'orders'), new OrderTransitionsService());
  });

  afterAll(async () => {
    await db?.stop();
  });

  async function newOrder(idempotencyKey?: string) {
    const request = { customerId: 'cust-1', lines: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 250 }, { sku: 'SKU-2', quantity: 1, unitPriceCents: 100 }] };
    return (await create.create(request, idempotencyKey)).order;
  }

  /** A new order whose stock inventory reserved (RESERVED, version 2): where payments' events start. */
  async function reservedOrder() {
    const order = await newOrder();
    expect(await apply.apply(inventory, reservedOrderEvent({ orderId: order.id }), 'INVENTORY_RESERVED')).toBe('applied');
    return order;
  }

  /** The versions of the order's views written to the outbox for the KV mirror, one per change, in write order. */
  async function stateChangedVersions(orderId: string): Promise<number[]> {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ version: number; value: { id: string; version: number } }>>(
      `SELECT (envelope->>'version')::int AS version, envelope AS value FROM "orders"."outbox_events"
        WHERE aggregate_id = $1::uuid AND type = $2 ORDER BY id`,
      orderId,
      KV_PUT_TYPE,
    );
    // The last one is the order as it is now, field for field.
    if (rows.length > 0) expect(rows.at(-1)!.value).toEqual(await views.find(orderId));
    return rows.map((row) => row.version);
  }

  /** The order as the list endpoint reads it (Prisma), to compare with a single read (plain SQL). */
  async function listed(orderId: string) {
    return (await views.list({ customerId: 'cust-1', limit: 100 })).items.find((item) => item.id === orderId);
  }

  it('creates an order with its lines and first history entry, and answers as a later read does', async () => {
    const order = await newOrder('key-create-1');

    expect(order).toMatchObject({ state: OrderState.CREATED, version: 1, totalCents: 600, currency: 'EUR' });
    expect(order.lines).toEqual([
      { sku: 'SKU-1', quantity: 2, unitPriceCents: 250, lineTotalCents: 500 },
      { sku: 'SKU-2', quantity: 1, unitPriceCents: 100, lineTotalCents: 100 },
    ]);
    expect(order.history).toMatchObject([{ from: null, to: OrderState.CREATED, version: 1, reason: null }]);
    expect(await views.find(order.id)).toEqual(order);
    expect(await listed(order.id)).toEqual(order);
    expect(await stateChangedVersions(order.id)).toEqual([1]);
    expect((await newOrder('key-create-1')).id).toBe(order.id);
  });

  describe('shipping details', () => {
    const shipping = {
      name: 'Ann Example',
      email: 'ann@example.com',
      address: { line1: '1 Harbour Road', line2: 'Unit 4', city: 'Rotterdam', postalCode: '3011 AB', country: 'NL' },
    };
    const request = { customerId: 'cust-1', lines: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }] };

    /** The payload of the orders.created the order's transaction wrote to the outbox (what the relay publishes). */
    async function createdPayload(orderId: string): Promise<Record<string, unknown>> {
      const [row] = await db.prisma.$queryRawUnsafe<Array<{ payload: Record<string, unknown> }>>(
        `SELECT envelope->'payload' AS payload FROM "orders"."outbox_events" WHERE aggregate_id = $1::uuid AND type = $2`,
        orderId,
        OrderCreated.type,
      );
      return row!.payload;
    }

    it('keeps them with the order: every view shows them, the mirror and orders.created carry them', async () => {
      const { order } = await create.create({ ...request, shipping }, 'key-shipping-1');

      expect(order.shipping).toEqual(shipping);
      expect(await views.find(order.id)).toEqual(order);
      expect(await listed(order.id)).toEqual(order);
      // The KV mirror's entry is the view itself (checked field for field by stateChangedVersions).
      expect(await stateChangedVersions(order.id)).toEqual([1]);
      const payload = await createdPayload(order.id);
      expect(payload['shipping']).toEqual(shipping);
      expect(OrderCreated.payload.parse(payload).shipping).toEqual(shipping);
    });

    it('shows null for an order placed without them, and leaves them out of its orders.created', async () => {
      const { order } = await create.create(request);

      expect(order.shipping).toBeNull();
      expect(await views.find(order.id)).toEqual(order);
      expect(await listed(order.id)).toEqual(order);
      expect(await stateChangedVersions(order.id)).toEqual([1]);
      expect(await createdPayload(order.id)).not.toHaveProperty('shipping');
    });

    it('gives each of orders placed together (which may share one insert) its own details, or none', async () => {
      const other = { name: 'Bo Phone', address: { line1: '2 Quay Street', city: 'Galway', postalCode: 'H91 X2Y3', country: 'IE' } };
      const results = await Promise.all([create.create({ ...request, shipping }), create.create(request), create.create({ ...request, shipping: other })]);

      expect(results.map(({ order }) => order.shipping)).toEqual([shipping, null, other]);
      for (const { order } of results) expect(await views.find(order.id)).toEqual(order);
    });

    it('counts them in the Idempotency-Key’s body: the same replays, other details or none are refused', async () => {
      const first = await create.create({ ...request, shipping }, 'key-shipping-2');
      // Field order is not part of the body's meaning.
      const reordered = { address: { ...shipping.address }, email: shipping.email, name: shipping.name };
      expect(await create.create({ ...request, shipping: reordered }, 'key-shipping-2')).toEqual({ order: first.order, replayed: true });
      const elsewhere = { ...shipping, address: { ...shipping.address, postalCode: '3011 AC' } };
      await expect(create.create({ ...request, shipping: elsewhere }, 'key-shipping-2')).rejects.toThrow(IdempotencyKeyReusedError);
      await expect(create.create(request, 'key-shipping-2')).rejects.toThrow(IdempotencyKeyReusedError);
      const { line2: _, ...withoutLine2 } = shipping.address;
      await expect(create.create({ ...request, shipping: { ...shipping, address: withoutLine2 } }, 'key-shipping-2')).rejects.toThrow(IdempotencyKeyReusedError);
    });
  });

  it('answers two concurrent requests with one Idempotency-Key with one order', async () => {
    const request = { customerId: 'cust-1', lines: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }] };
    const results = await Promise.all([create.create(request, 'key-race-1'), create.create(request, 'key-race-1')]);

    expect(results[0].order).toEqual(results[1].order);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
  });

  it('applies an event once, with a history row and an orders.state-changed event', async () => {
    const order = await reservedOrder();
    const initiated = envelopeFor(PaymentInitiated, { orderId: order.id });

    expect(await apply.apply(payments, initiated, 'PAYMENT_INITIATED')).toBe('applied');
    expect(await apply.apply(payments, initiated, 'PAYMENT_INITIATED')).toBe('duplicate');

    const view = await views.find(order.id);
    expect(view).toMatchObject({ state: OrderState.PAYMENT_PENDING, version: 3, failureReason: null });
    expect(view!.history.map((change) => [change.from, change.to, change.version])).toEqual([
      [null, OrderState.CREATED, 1],
      [OrderState.CREATED, OrderState.RESERVED, 2],
      [OrderState.RESERVED, OrderState.PAYMENT_PENDING, 3],
    ]);
    expect(await stateChangedVersions(order.id)).toEqual([1, 2, 3]);
  });

  it('parks an early event and applies it with its predecessor', async () => {
    const order = await reservedOrder();
    await apply.apply(payments, envelopeFor(PaymentInitiated, { orderId: order.id }), 'PAYMENT_INITIATED');

    await apply.apply(shipments, envelopeFor(ShipmentPrepared, { orderId: order.id }), 'SHIPMENT_PREPARED');
    expect(await views.find(order.id)).toMatchObject({ state: OrderState.PAYMENT_PENDING, version: 3 });

    await apply.apply(payments, envelopeFor(PaymentSucceeded, { orderId: order.id }), 'PAYMENT_SUCCEEDED');
    const view = await views.find(order.id);
    expect(view).toMatchObject({ state: OrderState.SHIPMENT_PREPARED, version: 5 });
    expect(view!.history.map((change) => change.to)).toEqual([
      OrderState.CREATED,
      OrderState.RESERVED,
      OrderState.PAYMENT_PENDING,
      OrderState.PAID,
      OrderState.SHIPMENT_PREPARED,
    ]);
    expect(await listed(order.id)).toEqual(view);
    expect(await db.prisma.orderParkedEvent.count({ where: { orderId: order.id } })).toBe(0);
    expect(await stateChangedVersions(order.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('records the reason of a failure on the order', async () => {
    const order = await reservedOrder();
    await apply.apply(payments, envelopeFor(PaymentInitiated, { orderId: order.id }), 'PAYMENT_INITIATED');
    await apply.apply(payments, envelopeFor(PaymentFailed, { orderId: order.id }), 'PAYMENT_FAILED', 'payment failed: declined');

    expect(await views.find(order.id)).toMatchObject({ state: OrderState.FAILED, version: 4, failureReason: 'payment failed: declined' });
  });

  it('changes nothing when the order is no longer at the version the change was decided on', async () => {
    const order = await newOrder();
    const stale = {
      orderId: order.id,
      expectedVersion: 0,
      from: OrderState.CREATED,
      to: OrderState.RESERVED,
      failureReason: null,
      reason: null,
      causationId: order.id,
      shipping: null,
    };

    expect(await db.sql.$transaction((tx) => applyStateChanges.run(tx, [stale]))).toEqual([{ changed: false, hasParkedEvents: false }]);
    expect(await views.find(order.id)).toEqual(order);
  });
});
