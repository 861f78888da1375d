import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers, OrderState } from '#contracts';
import { startPipeline, type Pipeline } from '#local-infra';
import { rebuildReadModel } from '../../tools/rebuild/src/rebuild.js';
import { PipelineDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { readOrderCreated, republish } from './support/order-events.js';
import {
  EXPECTED_TRANSITIONS,
  listAllPages,
  orderRequest,
  placeOrder,
  waitUntilTerminal,
  type OrderView,
} from './support/orders.js';

/**
 * One order's whole life through the real thing: the built services as
 * processes, a real NATS JetStream and a real PostgreSQL (`npm run build` first).
 *
 * Half the payments are declined. The gateway's decision is a function of the
 * seed and the payment id, and payment ids are fresh UUIDs, so which orders
 * fail differs per run; orders are therefore placed in batches until both
 * outcomes have been seen (two batches of six leave odds of 1 in 2,000 of
 * needing a third; five batches practically never run out).
 */
const BATCH_SIZE = 6;
const MAX_BATCHES = 5;

describe('order lifecycle (built services, real NATS JetStream and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  /** Only this suite's lifecycle orders belong to this customer, so list queries see exactly them. */
  const lifecycleCustomer = `e2e-lifecycle-${run}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let db: PipelineDatabase;
  let nc: NatsConnection;
  let lifecycleOrders: OrderView[] = [];

  const withState = (state: OrderState) => lifecycleOrders.filter((order) => order.state === state);

  beforeAll(async () => {
    pipeline = await startPipeline({
      databaseName: `e2e_order_lifecycle_${run}`,
      paymentSuccessRate: 0.5,
      paymentSeed: `e2e-${run}`,
      paymentLatencyMs: 5,
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    db = new PipelineDatabase(pipeline.databaseUrl);
    nc = await connect({ servers: pipeline.natsUrl, name: 'e2e-order-lifecycle' });

    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const placed = await Promise.all(
        Array.from({ length: BATCH_SIZE }, (_, i) => placeOrder(api, orderRequest(lifecycleCustomer, batch * BATCH_SIZE + i))),
      );
      lifecycleOrders.push(...(await waitUntilTerminal(api, placed.map((order) => order.id))));
      if (withState(OrderState.SHIPPED).length > 0 && withState(OrderState.FAILED).length > 0) break;
    }
  });

  afterAll(async () => {
    await nc?.close();
    await db?.close();
    await pipeline?.stop();
  });

  describe('state machine', () => {
    it('ends every order SHIPPED or FAILED, and both outcomes occur', () => {
      expect(lifecycleOrders.length).toBeGreaterThanOrEqual(BATCH_SIZE);
      for (const order of lifecycleOrders) expect([OrderState.SHIPPED, OrderState.FAILED]).toContain(order.state);
      expect(withState(OrderState.SHIPPED).length).toBeGreaterThan(0);
      expect(withState(OrderState.FAILED).length).toBeGreaterThan(0);
    });

    it('records exactly CREATED, RESERVED, PAYMENT_PENDING, PAID, SHIPMENT_PREPARED, SHIPPED for a shipped order', () => {
      for (const order of withState(OrderState.SHIPPED)) {
        expect(order.history.map(({ from, to, version }) => ({ from, to, version }))).toEqual(EXPECTED_TRANSITIONS.SHIPPED);
        expect(order.version).toBe(EXPECTED_TRANSITIONS.SHIPPED.length);
        expect(order.failureReason).toBeNull();
      }
    });

    it('shows a shipped order’s carrier, its tracking number in that carrier’s format, and when it shipped; nothing for the others', async () => {
      const formats: Record<string, RegExp> = { DHL: /^JD\d{18}$/, UPS: /^1Z[0-9A-Z]{16}$/, DPD: /^\d{14}$/, PostNL: /^3S[0-9A-Z]{13}$/ };
      for (const order of withState(OrderState.SHIPPED)) {
        expect(Object.keys(formats)).toContain(order.carrier);
        expect(order.trackingNumber).toMatch(formats[order.carrier!]!);
        // The dispatch's own time (shipments.dispatched), just before orders-api recorded the change to SHIPPED.
        const shippedChange = Date.parse(order.history.at(-1)!.occurredAt);
        expect(Date.parse(order.shippedAt!)).toBeLessThanOrEqual(shippedChange);
        expect(shippedChange - Date.parse(order.shippedAt!)).toBeLessThan(60_000);
        const [shipment] = await db.shipmentsOf(order.id);
        expect({ carrier: shipment!.carrier, trackingNumber: shipment!.trackingNumber }).toEqual({ carrier: order.carrier, trackingNumber: order.trackingNumber });
      }
      for (const order of withState(OrderState.FAILED)) expect([order.carrier, order.trackingNumber, order.shippedAt]).toEqual([null, null, null]);
    });

    it('records exactly CREATED, RESERVED, PAYMENT_PENDING, FAILED with a failure reason for a declined order', () => {
      for (const order of withState(OrderState.FAILED)) {
        expect(order.history.map(({ from, to, version }) => ({ from, to, version }))).toEqual(EXPECTED_TRANSITIONS.FAILED);
        expect(order.version).toBe(EXPECTED_TRANSITIONS.FAILED.length);
        expect(order.failureReason).toEqual(expect.stringContaining('declined'));
      }
    });

    it('lists every event of an order, from every service, oldest first, each caused by an earlier one or by the request', async () => {
      type Timeline = { orderId: string; events: Array<{ id: string; type: string; service: string; occurredAt: string; correlationId: string; causationId: string }> };
      const expected = {
        SHIPPED: [
          ['orders.created', 'orders-api'],
          ['inventory.reserved', 'inventory'],
          ['payments.initiated', 'payments'],
          ['payments.succeeded', 'payments'],
          ['shipments.prepared', 'shipments'],
          ['shipments.dispatched', 'shipments'],
          ['inventory.committed', 'inventory'],
        ],
        FAILED: [
          ['orders.created', 'orders-api'],
          ['inventory.reserved', 'inventory'],
          ['payments.initiated', 'payments'],
          ['payments.failed', 'payments'],
          ['inventory.released', 'inventory'],
        ],
      };
      for (const order of lifecycleOrders) {
        const { status, body } = await api.get<Timeline>(`/orders/${order.id}/events`);
        expect(status).toBe(200);
        const events = body.events;
        expect({ order: order.id, events: events.map((e) => [e.type, e.service]) }).toEqual({
          order: order.id,
          events: expected[order.state as keyof typeof expected],
        });
        const times = events.map((e) => Date.parse(e.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        const correlation = events[0]!.correlationId;
        events.forEach((event, index) => {
          expect(event.correlationId).toBe(correlation);
          if (index > 0) expect(events.slice(0, index).map((e) => e.id)).toContain(event.causationId);
        });
      }
      expect((await api.get(`/orders/${randomUUID()}/events`)).status).toBe(404);
    });

    it('rebuilds the timelines from the streams into a copy equal to the live one, again and again, and swaps it in', async () => {
      const options = { databaseUrl: pipeline.databaseUrl, natsUrl: pipeline.natsUrl };
      const first = await rebuildReadModel('timeline', options);
      expect(first.live).toBeGreaterThanOrEqual(lifecycleOrders.length * 3);
      expect(first).toMatchObject({ rebuilt: first.live, onlyRebuilt: 0, onlyLive: 0, replaced: false });
      expect(first.eventsRead).toBeGreaterThanOrEqual(first.rebuilt);
      expect(await rebuildReadModel('timeline', options)).toEqual(first);
      const replaced = await rebuildReadModel('timeline', { ...options, replace: true });
      expect(replaced).toMatchObject({ rebuilt: first.live, onlyRebuilt: 0, onlyLive: 0, replaced: true });
      expect(await rebuildReadModel('timeline', options)).toEqual(first);
    });

    it('keeps one payment per order and one shipment per paid order in the services’ tables', async () => {
      for (const order of lifecycleOrders) {
        const shipped = order.state === OrderState.SHIPPED;
        const payments = await db.paymentsOf(order.id);
        expect({ order: order.id, payments: payments.map((p) => p.status) }).toEqual({ order: order.id, payments: [shipped ? 'SUCCEEDED' : 'DECLINED'] });
        const shipments = await db.shipmentsOf(order.id);
        expect({ order: order.id, shipments: shipments.map((s) => s.status) }).toEqual({ order: order.id, shipments: shipped ? ['DISPATCHED'] : [] });
      }
    });
  });

  describe('HTTP API', () => {
    it('replays the same order for the same Idempotency-Key and body, and refuses another body with 409', async () => {
      const key = `e2e-key-${run}`;
      const body = orderRequest(`e2e-idempotency-${run}`, 1);
      const headers = { 'idempotency-key': key };

      const first = await api.post<OrderView>('/orders', body, headers);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();

      const replay = await api.post<OrderView>('/orders', body, headers);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.id).toBe(first.body.id);

      const otherBody = await api.post('/orders', { ...body, lines: [{ sku: 'SKU-OTHER', quantity: 1, unitPriceCents: 1 }] }, headers);
      expect(otherBody.status).toBe(409);
      expect(otherBody.body.message).toContain(key);
    });

    it('answers 404 for an unknown order and 400 naming the parameter for a malformed id', async () => {
      const unknown = await api.get(`/orders/${randomUUID()}`);
      expect(unknown.status).toBe(404);

      const malformed = await api.get('/orders/not-a-uuid');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('answers 400 naming every bad field of a request body', async () => {
      const response = await api.post('/orders', {
        customerId: '',
        currency: 'euro',
        lines: [{ sku: 'not a sku!', quantity: 0, unitPriceCents: -1 }],
        discount: 10,
      });
      expect(response.status).toBe(400);
      const fields = (response.body.errors as Array<{ field: string; reason: string }>).map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['customerId', 'currency', 'lines.0.sku', 'lines.0.quantity', 'lines.0.unitPriceCents', 'discount']),
      );

      const empty = await api.post('/orders', {});
      expect(empty.status).toBe(400);
      expect((empty.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(expect.arrayContaining(['customerId', 'lines']));
    });

    it('refuses to cancel a shipped order with 409 and leaves it as it was', async () => {
      const shipped = withState(OrderState.SHIPPED)[0]!;
      const response = await api.post(`/orders/${shipped.id}/cancel`, { reason: 'too late' });
      expect(response.status).toBe(409);

      const after = await api.get<OrderView>(`/orders/${shipped.id}`);
      expect(after.body.state).toBe(OrderState.SHIPPED);
      expect(after.body.version).toBe(shipped.version);
    });

    it('lists by state in consistent pages: newest first, no overlaps, nothing missing', async () => {
      for (const state of [OrderState.SHIPPED, OrderState.FAILED]) {
        const pages = await listAllPages(api, { customerId: lifecycleCustomer, state, limit: '2' });
        const items = pages.flatMap((page) => page.items);
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(2);
        for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(2);
        for (const item of items) expect(item).toMatchObject({ state, customerId: lifecycleCustomer });
        const ids = items.map((item) => item.id);
        // No order on two pages.
    expect(new Set(ids).size).toBe(ids.length);
        // Newest (highest UUIDv7) first.
    expect(ids).toEqual([...ids].sort().reverse());
        expect([...ids].sort()).toEqual(withState(state).map((order) => order.id).sort());
      }

      const all = await listAllPages(api, { customerId: lifecycleCustomer, limit: '5' });
      expect(all.flatMap((page) => page.items).length).toBe(lifecycleOrders.length);
    });

    it('answers 400 for a list query out of range', async () => {
      const response = await api.get('/orders?limit=0');
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    });

    it('eventually serves ?consistency=eventual from the KV cache with the final state', async () => {
      const order = withState(OrderState.SHIPPED)[0]!;
      const fromDatabase = await api.get<OrderView>(`/orders/${order.id}`);
      expect(fromDatabase.headers.get('x-read-source')).toBe('database');

      const cached = await eventually('the KV cache to hold the final state', async () => {
        const response = await api.get<OrderView>(`/orders/${order.id}?consistency=eventual`);
        const fresh = response.headers.get('x-read-source') === 'cache' && response.body.version === fromDatabase.body.version;
        return fresh ? response : undefined;
      });
      expect(cached.status).toBe(200);
      expect(cached.body.state).toBe(OrderState.SHIPPED);
      expect(cached.body).toEqual(fromDatabase.body);
    });
  });

  describe('duplicates on the wire', () => {
    it('drops a re-sent orders.created with the same Nats-Msg-Id at the server', async () => {
      const order = lifecycleOrders[0]!;
      const stored = await readOrderCreated(nc, order.id);
      const ack = await republish(nc, stored, 'same');
      expect(ack.duplicate).toBe(true);
      expect(ack.seq).toBe(stored.seq);
    });

    it('does not reserve or charge twice for an orders.created redelivered under a new Nats-Msg-Id', async () => {
      const order = lifecycleOrders[lifecycleOrders.length - 1]!;
      const paymentsBefore = await db.countPayments();
      const reservationBefore = await db.reservationsOf(order.id);
      const stored = await readOrderCreated(nc, order.id);
      // inventory reads orders.created; payments charges on the reservation that follows it.
      const consumer = Consumers.inventoryOnOrderCreated.durable;
      const skippedBefore = (await db.inboxDuplicates('inventory', consumer, stored.envelope.id)) ?? 0;

      const ack = await republish(nc, stored, 'new');
      // Stored as a new message, so it reaches the consumer.
    expect(ack.duplicate).toBe(false);

      // The inbox counts the redelivery it skipped: proof that it arrived and was recognised.
      await eventually('the inventory inbox to skip the redelivery', async () => {
        const skipped = (await db.inboxDuplicates('inventory', consumer, stored.envelope.id)) ?? 0;
        return skipped > skippedBefore ? skipped : undefined;
      });
      expect(await db.reservationsOf(order.id)).toEqual(reservationBefore);
      expect(reservationBefore).toHaveLength(1);
      expect(await db.paymentsOf(order.id)).toHaveLength(1);
      expect(await db.countPayments()).toBe(paymentsBefore);

      const after = await api.get<OrderView>(`/orders/${order.id}`);
      expect(after.body.version).toBe(order.version);
      expect(after.body.history).toEqual(order.history);
    });
  });
});
