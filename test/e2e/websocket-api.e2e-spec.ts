import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OrderState } from '#contracts';
import { CATALOG_SKUS, startPipeline, type Pipeline } from '#local-infra';
import { metricValue } from '#metrics';
import { apiClient, type ApiClient } from './support/http.js';
import { LiveUpdatesClient, type LiveFrame } from './support/live-updates-client.js';
import { orderRequest, placeOrder, waitUntilTerminal, type OrderView } from './support/orders.js';

/**
 * The live-updates API (/ws, docs/websocket.md) of the built orders-api on a
 * real NATS JetStream and PostgreSQL, with a plain `ws` client: every
 * command and error answered as REST answers it, updates of subscribed
 * orders as they commit (fed by the order_state bucket), resume, slow and
 * dead clients. Settings shortened for the test: auth within 1 s, a
 * 64 KiB bound on a socket's unsent data, pings every 8 s.
 */
const AUTH_TIMEOUT_MS = 1_000;
const MAX_BUFFERED_BYTES = 64 * 1024;
const PING_INTERVAL_MS = 8_000;
const SHIPPED_PATH = [OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.PAID, OrderState.SHIPMENT_PREPARED, OrderState.SHIPPED];

describe('live updates over WebSocket (built services, real NATS JetStream and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  const customer = `e2e-ws-${run}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let n = 0;
  const open: LiveUpdatesClient[] = [];
  /** A peer that never answers pings and one that does, connected first: the keep-alive runs while the other tests do. */
  let deaf: LiveUpdatesClient;
  let attentive: LiveUpdatesClient;

  beforeAll(async () => {
    pipeline = await startPipeline({
      databaseName: `e2e_websocket_${run}`,
      paymentSuccessRate: 1,
      paymentSeed: `e2e-ws-${run}`,
      // A second orders-api: a subscriber on one replica hears of orders placed through the other.
      ordersApiReplicas: 2,
      env: {
        'orders-api': {
          WS_AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS),
          WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES),
          WS_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
        },
      },
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    deaf = await connect(pipeline.apiKeys.reader, { autoPong: false });
    attentive = await connect(pipeline.apiKeys.reader);
  });

  afterAll(async () => {
    for (const client of open) client.close();
    await pipeline?.stop();
  });

  /** A client authenticated by its first message, closed after the tests. */
  async function connect(apiKey = pipeline.apiKeys.storefront, options: { autoPong?: boolean } = {}, url = pipeline.apiUrl): Promise<LiveUpdatesClient> {
    const client = await LiveUpdatesClient.authenticated(url, apiKey, options);
    open.push(client);
    return client;
  }

  const nextRequest = () => orderRequest(customer, n++);
  const states = (events: LiveFrame[]) => events.map((e) => e['order'].state as OrderState);

  /** Waits until the socket has seen the order's view at `state` (or later), and returns every event of it. */
  async function eventsUntil(client: LiveUpdatesClient, orderId: string, state: OrderState): Promise<LiveFrame[]> {
    await client.next((f) => f.type === 'event' && f['order'].id === orderId && f['order'].state === state, `order ${orderId} ${state}`, { timeoutMs: 60_000 });
    return client.eventsOf(orderId);
  }

  describe('authentication', () => {
    it('accepts the key in the first message, or in the X-API-Key header of the upgrade, and names its scopes', async () => {
      const byMessage = await LiveUpdatesClient.connect(pipeline.apiUrl);
      open.push(byMessage);
      byMessage.send({ type: 'auth', apiKey: pipeline.apiKeys.reader });
      expect(await byMessage.next((f) => f.type === 'auth', 'auth')).toEqual({ type: 'auth', ok: true, client: 'local-reader', scopes: ['orders:read'] });

      const byHeader = await LiveUpdatesClient.connect(pipeline.apiUrl, { apiKey: pipeline.apiKeys.storefront });
      open.push(byHeader);
      const answer = await byHeader.next((f) => f.type === 'auth', 'auth');
      expect(answer['scopes'].sort()).toEqual(['orders:cancel', 'orders:place', 'orders:read']);
      expect((await byHeader.command('subscribe', { all: true }))['status']).toBe(200);
    });

    it('answers a bad key, a missing auth, a command before auth and a bad header key with 401 and closes 4401', async () => {
      const badKey = await LiveUpdatesClient.connect(pipeline.apiUrl);
      badKey.send({ type: 'auth', apiKey: 'not-a-key' });
      const commandFirst = await LiveUpdatesClient.connect(pipeline.apiUrl);
      commandFirst.send({ type: 'command', id: 'c1', action: 'subscribe', all: true });
      const silent = await LiveUpdatesClient.connect(pipeline.apiUrl);
      const badHeader = await LiveUpdatesClient.connect(pipeline.apiUrl, { apiKey: 'x'.repeat(40) });
      const started = Date.now();
      for (const [client, message] of [
        [badKey, 'The API key is not valid.'],
        [commandFirst, 'Authenticate first: the first message must be {"type":"auth","apiKey":"..."}.'],
        [silent, `No auth message within ${AUTH_TIMEOUT_MS} ms: send {"type":"auth","apiKey":"..."} first.`],
        [badHeader, 'The API key is not valid.'],
      ] as const) {
        expect(await client.closed).toEqual({ code: 4401, reason: 'unauthorized' });
        expect(client.frames).toEqual([{ type: 'error', status: 401, error: 'Unauthorized', message }]);
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 200);
    });
  });

  describe('frames and keep-alive', () => {
    it('answers frames that are not JSON objects, unknown types and actions with 400, and stays open', async () => {
      const client = await connect();
      const errors: LiveFrame[] = [];
      for (const frame of ['{not json', '[1,2]', '42', JSON.stringify({ type: 'shout', id: 'x1' }), JSON.stringify({ type: 'command', id: 'x2', action: 'explode' })]) {
        const from = client.frames.length;
        client.send(frame);
        errors.push(await client.next((f) => f.type === 'error', `the error for ${frame}`, { from }));
      }
      expect(errors.map((e) => [e['status'], e['message']])).toEqual([
        [400, 'The frame is not valid JSON'],
        [400, 'The frame must be a JSON object'],
        [400, 'The frame must be a JSON object'],
        [400, 'Validation failed'],
        [400, 'Validation failed'],
      ]);
      expect(errors[3]).toMatchObject({ id: 'x1', fields: [{ field: 'type', rule: 'enum' }] });
      expect(errors[4]).toMatchObject({ id: 'x2', fields: [{ field: 'action', rule: 'enum' }] });
      client.send({ type: 'ping', id: 'p1' });
      expect(await client.next((f) => f.type === 'pong', 'pong')).toEqual({ type: 'pong', id: 'p1' });
    });
  });

  describe('commands answer as REST does', () => {
    it('places an order: 201 with the view GET returns; the same idempotencyKey again is a replay, with another body 409', async () => {
      const client = await connect();
      const key = `ws-${randomUUID()}`;
      const request = nextRequest();
      const placed = await client.command('place-order', { idempotencyKey: key, body: request });
      expect(placed).toMatchObject({ type: 'reply', action: 'place-order', status: 201 });
      const view = placed['body'] as OrderView;
      expect(view).toMatchObject({ customerId: customer, state: OrderState.CREATED, version: 1 });
      expect((await api.get<OrderView>(`/orders/${view.id}`)).body.id).toBe(view.id);

      const replay = await client.command('place-order', { idempotencyKey: key, body: request });
      expect(replay).toMatchObject({ status: 201, replayed: true, body: { id: view.id } });
      const conflict = await client.command('place-order', { idempotencyKey: key, body: nextRequest() });
      const rest = await api.post('/orders', nextRequest(), { 'idempotency-key': key });
      expect(conflict).toMatchObject({ type: 'error', action: 'place-order', status: 409, error: 'Conflict', message: rest.body.message });
    });

    it('refuses a bad body with the status, fields and reasons of REST, and keeps the connection', async () => {
      const client = await connect();
      const bad = [
        { customerId: '', lines: [] },
        { customerId: 'c', currency: 'euro', lines: [{ sku: 'no spaces', quantity: 0, unitPriceCents: 1.5 }], extra: true },
        { customerId: 'c', lines: [{ sku: 'A', quantity: 10_000, unitPriceCents: 10_000_000 }, ...Array(99).fill({ sku: 'A', quantity: 10_000, unitPriceCents: 10_000_000 })] },
      ];
      for (const body of bad) {
        const answer = await client.command('place-order', { body });
        const rest = await api.post('/orders', body);
        expect(answer).toMatchObject({ type: 'error', status: rest.status, error: rest.body.error, message: rest.body.message });
        expect(answer['fields']).toEqual(rest.body.errors);
      }
      const missing = await client.command('place-order', {});
      expect(missing).toMatchObject({ status: 400, fields: [{ field: 'body', rule: 'required' }] });
      expect(await client.command('place-order', { body: 'an order' })).toMatchObject({ status: 400, fields: [{ field: 'body', rule: 'type' }] });
    });

    it('refuses a command the key has no scope for with 403, in the words of REST', async () => {
      const reader = await connect(pipeline.apiKeys.reader);
      const answer = await reader.command('place-order', { body: nextRequest() });
      const rest = await apiClient({ url: pipeline.apiUrl, key: pipeline.apiKeys.reader }).post('/orders', nextRequest());
      expect(rest.status).toBe(403);
      expect(answer).toMatchObject({ type: 'error', status: 403, error: 'Forbidden', message: rest.body.message });
      expect(await reader.command('cancel-order', { orderId: randomUUID() })).toMatchObject({ status: 403, message: expect.stringContaining('orders:cancel') });
      expect(await reader.command('subscribe', { all: true })).toMatchObject({ type: 'reply', status: 200 });
    });

    it('cancels: 202 then 200 again, 404 for an unknown order, 400 for a bad id or body, 409 once shipped', async () => {
      const client = await connect();
      const placed = await placeOrder(api, nextRequest());
      expect(await client.command('cancel-order', { orderId: placed.id, body: { reason: 'changed my mind' } })).toMatchObject({
        type: 'reply',
        action: 'cancel-order',
        status: 202,
        body: { id: placed.id, state: OrderState.CANCELLING },
      });
      expect(await client.command('cancel-order', { orderId: placed.id })).toMatchObject({ status: 200, body: { id: placed.id } });

      const unknown = randomUUID();
      const rest404 = await api.post(`/orders/${unknown}/cancel`, {});
      expect(await client.command('cancel-order', { orderId: unknown })).toMatchObject({ type: 'error', status: 404, error: 'Not Found', message: rest404.body.message });
      expect(await client.command('cancel-order', { orderId: 'nope' })).toMatchObject({ status: 400, fields: [{ field: 'orderId', rule: 'format' }] });
      const badBody = await client.command('cancel-order', { orderId: placed.id, body: { reason: 'x'.repeat(201), why: 1 } });
      const restBadBody = await api.post(`/orders/${placed.id}/cancel`, { reason: 'x'.repeat(201), why: 1 });
      expect(badBody['fields']).toEqual(restBadBody.body.errors);

      const shipped = await placeOrder(api, nextRequest());
      await waitUntilTerminal(api, [shipped.id]);
      const rest409 = await api.post(`/orders/${shipped.id}/cancel`, {});
      expect(await client.command('cancel-order', { orderId: shipped.id })).toMatchObject({ status: 409, error: 'Conflict', message: rest409.body.message });
    });

    it('subscribes to a known order only (404 otherwise), and stops sending it after unsubscribe', async () => {
      const client = await connect(pipeline.apiKeys.reader);
      const unknown = randomUUID();
      expect(await client.command('subscribe', { orderId: unknown })).toMatchObject({ type: 'error', status: 404, message: `order ${unknown} not found` });
      expect(await client.command('subscribe', { orderId: unknown, all: true })).toMatchObject({ status: 400, fields: [{ field: 'orderId', rule: 'target' }] });

      const placed = await placeOrder(api, nextRequest());
      expect(await client.command('subscribe', { orderId: placed.id })).toMatchObject({ status: 200, body: { subscribed: placed.id } });
      const unsubscribed = await client.command('unsubscribe', { orderId: placed.id });
      expect(unsubscribed).toMatchObject({ type: 'reply', status: 200, body: { unsubscribed: placed.id } });
      const after = client.frames.indexOf(unsubscribed);
      await waitUntilTerminal(api, [placed.id]);
      await sleep(500);
      expect(client.frames.slice(after + 1).filter((f) => f.type === 'event')).toEqual([]);
    });
  });

  describe('updates', () => {
    it('shows an order placed over the socket through every state to SHIPPED, each view as GET returns it', async () => {
      const client = await connect();
      const placed = await client.command('place-order', { body: nextRequest() });
      const id = placed['body'].id as string;
      await client.command('subscribe', { orderId: id });
      const events = await eventsUntil(client, id, OrderState.SHIPPED);
      const last = events.at(-1)!['order'] as OrderView;
      expect(last).toEqual((await api.get<OrderView>(`/orders/${id}`)).body);
      expect(last.history.map((h) => h.to)).toEqual(SHIPPED_PATH);
      // Each event is a view the order had, in order; together with the histories they carry, every state is seen.
      const versions = events.map((e) => e['order'].version as number);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(new Set(events.flatMap((e) => (e['order'] as OrderView).history.map((h) => h.to)))).toEqual(new Set(SHIPPED_PATH));
      expect(SHIPPED_PATH).toEqual(expect.arrayContaining(states(events)));
    });

    it('sends a subscriber to "all" the orders other clients place', async () => {
      const watcher = await connect(pipeline.apiKeys.reader);
      await watcher.command('subscribe', { all: true });
      const other = await connect();
      const placed = [(await other.command('place-order', { body: nextRequest() }))['body'] as OrderView, await placeOrder(api, nextRequest())];
      for (const order of placed) {
        const events = await eventsUntil(watcher, order.id, OrderState.SHIPPED);
        expect(events[0]!['order'].state).toBe(OrderState.CREATED);
      }
    });

    it('reaches a subscriber on one replica with the changes of an order placed through another', async () => {
      const [replicaA, replicaB] = pipeline.ordersApiUrls;
      expect(replicaB).toBeDefined();
      const onB = await connect(pipeline.apiKeys.reader, {}, replicaB);
      await onB.command('subscribe', { all: true });
      const onA = await connect(pipeline.apiKeys.storefront, {}, replicaA);
      const placed = (await onA.command('place-order', { body: nextRequest() }))['body'] as OrderView;
      const byId = await connect(pipeline.apiKeys.reader, {}, replicaB);
      await byId.command('subscribe', { orderId: placed.id });
      for (const client of [onB, byId]) {
        const events = await eventsUntil(client, placed.id, OrderState.SHIPPED);
        expect(events.at(-1)!['order'].history.map((h: { to: OrderState }) => h.to)).toEqual(SHIPPED_PATH);
      }
      expect(onB.eventsOf(placed.id)[0]!['order'].state).toBe(OrderState.CREATED);
    });

    it('resumes after a reconnect: subscribing with sinceVersion sends the current view if newer, and nothing if not', async () => {
      const first = await connect(pipeline.apiKeys.reader);
      const placed = await placeOrder(api, nextRequest());
      await first.command('subscribe', { orderId: placed.id });
      const seen = await eventsUntil(first, placed.id, OrderState.CREATED);
      const sinceVersion = seen.at(-1)!['order'].version as number;
      first.close();

      const [shipped] = await waitUntilTerminal(api, [placed.id]);
      const second = await connect(pipeline.apiKeys.reader);
      const reply = await second.command('subscribe', { orderId: placed.id, sinceVersion });
      expect(reply).toMatchObject({ status: 200, body: { subscribed: placed.id, version: shipped!.version } });
      const resumed = await second.next((f) => f.type === 'event', 'the current view');
      expect(resumed['order']).toEqual(shipped);
      expect(resumed['order'].history.map((h: { to: OrderState }) => h.to)).toEqual(SHIPPED_PATH);

      const third = await connect(pipeline.apiKeys.reader);
      await third.command('subscribe', { orderId: placed.id, sinceVersion: shipped!.version });
      await sleep(300);
      expect(third.frames.filter((f) => f.type === 'event')).toEqual([]);
    });
  });

  describe('slow and dead clients', () => {
    it('closes a client that stops reading (4008, with the reason) while the others keep their updates', async () => {
      // Orders with a line of every product: each view is a few kB.
      const large = { customerId: customer, lines: CATALOG_SKUS.map((sku) => ({ sku, quantity: 1, unitPriceCents: 100 })) };
      const orders = await Promise.all([0, 1, 2, 3].map(() => placeOrder(api, large)));
      await waitUntilTerminal(api, orders.map((o) => o.id));
      const slow = await connect(pipeline.apiKeys.reader);
      const fast = await connect(pipeline.apiKeys.reader);
      await slow.command('subscribe', { all: true });
      await fast.command('subscribe', { all: true });

      slow.socket.pause();
      // Each subscribe with sinceVersion 0 is answered with the order's whole view: megabytes unread, more
      // than the kernel's socket buffers hold, so that they pile up in orders-api, past the bound.
      for (let i = 0; i < 3_000; i++) slow.send({ type: 'command', id: `s${i}`, action: 'subscribe', orderId: orders[i % orders.length]!.id, sinceVersion: 0 });
      const placed = await placeOrder(api, nextRequest());
      await eventsUntil(fast, placed.id, OrderState.SHIPPED);
      slow.socket.resume();

      expect(await slow.closedWithin(20_000)).toEqual({
        code: 4008,
        reason: `too slow: more than ${MAX_BUFFERED_BYTES} bytes unsent`,
      });
      const late = await placeOrder(api, nextRequest());
      await eventsUntil(fast, late.id, OrderState.SHIPPED);
    });

    it('pings every socket and terminates a peer that never answers', async () => {
      // Both connected before all tests: by now the first pings have gone out; the deaf peer goes within two rounds.
      expect(await deaf.closedWithin(3 * PING_INTERVAL_MS)).toEqual({ code: 1006, reason: '' });
      expect(deaf.pings).toBeGreaterThanOrEqual(1);
      expect(attentive.pings).toBeGreaterThanOrEqual(1);
      expect(attentive.socket.readyState).toBe(attentive.socket.OPEN);
    });

    it('counts the sockets it dropped, by reason, and the events it sent, in GET /metrics', async () => {
      const scrape = await (await fetch(`${pipeline.apiUrl}/metrics`)).text();
      expect(metricValue(scrape, 'live_updates_sockets_dropped_total', { reason: 'unauthorized' })).toBeGreaterThanOrEqual(4);
      expect(metricValue(scrape, 'live_updates_sockets_dropped_total', { reason: 'slow' })).toBe(1);
      expect(metricValue(scrape, 'live_updates_sockets_dropped_total', { reason: 'unresponsive' })).toBeGreaterThanOrEqual(1);
      expect(metricValue(scrape, 'live_updates_events_sent_total')).toBeGreaterThan(0);
      expect(metricValue(scrape, 'live_updates_bucket_updates_total')).toBeGreaterThan(0);
      expect(metricValue(scrape, 'live_updates_sockets')).toBeGreaterThan(0);
    });
  });
});
