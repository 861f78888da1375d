import { randomBytes } from 'node:crypto';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { ORDER_STATE_BUCKET, OrderState } from '#contracts';
import { listCatalog, startPipeline, type Pipeline } from '#local-infra';
import type { RebuildResult } from '../../tools/rebuild/src/read-model.js';
import { rebuildReadModel, type RebuildOptions } from '../../tools/rebuild/src/rebuild.js';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { orderRequest, placeOrder, waitUntilTerminal, type OrderView } from './support/orders.js';

/**
 * `npm run rebuild -- analytics` and `-- order-state` after real orders went
 * through the built services (`npm run build` first): the copy equals the
 * live read model, again on a second run, differs where the live one was
 * damaged, and --replace repairs it, never writing an older order state over
 * a newer one.
 */
const ORDERS = 10;

describe('read-model rebuilds: analytics and order-state (built services, real NATS JetStream and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  const customer = `e2e-rebuild-${run}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let db: pg.Client;
  let nc: NatsConnection;
  let liveBucket: KV;
  let orders: OrderView[] = [];
  let options: RebuildOptions;

  const equal = (result: RebuildResult) => result.onlyRebuilt === 0 && result.onlyLive === 0;
  /** Analytics and the mirror follow the orders asynchronously: rebuild until the copy equals the live one. */
  const rebuiltEqual = (name: string) =>
    eventually(`the ${name} rebuild to equal the live read model`, async () => {
      const result = await rebuildReadModel(name, options);
      return equal(result) ? result : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });

  beforeAll(async () => {
    pipeline = await startPipeline({
      databaseName: `e2e_read_model_rebuilds_${run}`,
      paymentSuccessRate: 0.5,
      paymentSeed: `e2e-rebuild-${run}`,
      paymentLatencyMs: 5,
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    db = new pg.Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    nc = await connect({ servers: pipeline.natsUrl, name: 'e2e-read-model-rebuilds' });
    liveBucket = await new Kvm(nc).open(ORDER_STATE_BUCKET);
    options = { databaseUrl: pipeline.databaseUrl, natsUrl: pipeline.natsUrl };

    // Shipped and failed orders, one cancelled at once, one rejected for want of stock: every event analytics reads.
    const placed = await Promise.all(Array.from({ length: ORDERS }, (_, i) => placeOrder(api, orderRequest(customer, i))));
    expect((await api.post(`/orders/${placed[0]!.id}/cancel`, { reason: 'e2e' })).status).toBe(202);
    const [scarce] = (await listCatalog(pipeline.inventory)).sort((a, b) => a.onHand - b.onHand);
    placed.push(await placeOrder(api, { customerId: customer, currency: 'EUR', lines: [{ sku: scarce!.sku, quantity: scarce!.onHand + 1, unitPriceCents: 100 }] }));
    orders = await waitUntilTerminal(api, placed.map((order) => order.id));
  });

  afterAll(async () => {
    await nc?.close();
    await db?.end();
    await pipeline?.stop();
  });

  it('placed orders that end in every way analytics records', () => {
    const states = new Set(orders.map((order) => order.state));
    expect(states).toContain(OrderState.CANCELLED);
    expect(states).toContain(OrderState.REJECTED);
    expect(orders.filter((order) => order.state === OrderState.SHIPPED || order.state === OrderState.FAILED).length).toBeGreaterThan(0);
  });

  describe('analytics', () => {
    const facts = '"analytics"."order_facts"';

    it('rebuilds the facts from the subjects analytics reads into a copy equal to the live tables, and again', async () => {
      const first = await rebuiltEqual('analytics');
      // A fact row per order, and its lines (two per ordinary order, one for the rejected one).
      expect(first.live).toBe(orders.length + 2 * ORDERS + 1);
      expect(first).toMatchObject({ rebuilt: first.live, replaced: false });
      expect(first.eventsRead).toBeGreaterThan(orders.length);
      expect(await rebuildReadModel('analytics', options)).toEqual(first);
    });

    it('finds a damaged fact table different, and --replace makes it equal again', async () => {
      const [a, b] = orders;
      await db.query(`DELETE FROM ${facts} WHERE order_id = $1`, [a!.id]);
      await db.query(`UPDATE ${facts} SET total_cents = total_cents + 1 WHERE order_id = $1`, [b!.id]);
      const damaged = await rebuildReadModel('analytics', options);
      expect(damaged).toMatchObject({ onlyRebuilt: 2, onlyLive: 1, replaced: false });

      expect(await rebuildReadModel('analytics', { ...options, replace: true })).toMatchObject({ onlyRebuilt: 2, onlyLive: 1, replaced: true });
      const repaired = await rebuildReadModel('analytics', options);
      expect(repaired).toMatchObject({ rebuilt: repaired.live, onlyRebuilt: 0, onlyLive: 0 });
      expect(repaired.live).toBe(orders.length + 2 * ORDERS + 1);
      const { rows } = await db.query<{ order_id: string }>(`SELECT order_id::text FROM ${facts} WHERE order_id = ANY($1::uuid[])`, [[a!.id, b!.id]]);
      expect(rows).toHaveLength(2);
    });
  });

  describe('order-state', () => {
    it("rebuilds the KV mirror from the orders table into a bucket equal to the live one, key by key, and again", async () => {
      const first = await rebuiltEqual('order-state');
      expect(first).toMatchObject({ rebuilt: orders.length, live: orders.length, eventsRead: orders.length, replaced: false });
      expect(await rebuildReadModel('order-state', options)).toEqual(first);
    });

    it('finds a damaged mirror different; --replace repairs it and keeps a newer live version', async () => {
      const [gone, stale, ahead] = orders;
      const view = async (id: string) => (await liveBucket.get(id))!.json<OrderView>();
      const aheadView = await view(ahead!.id);
      await liveBucket.delete(gone!.id);
      await liveBucket.put(stale!.id, JSON.stringify({ ...(await view(stale!.id)), state: OrderState.CREATED, version: 1 }));
      await liveBucket.put(ahead!.id, JSON.stringify({ ...aheadView, version: aheadView.version + 1 }));
      await liveBucket.put('00000000-0000-7000-8000-000000000000', JSON.stringify({ state: OrderState.CREATED, version: 1 }));

      const damaged = await rebuildReadModel('order-state', options);
      expect(damaged).toMatchObject({ rebuilt: orders.length, live: orders.length, onlyRebuilt: 3, onlyLive: 3, replaced: false });

      expect(await rebuildReadModel('order-state', { ...options, replace: true })).toMatchObject({ onlyRebuilt: 3, onlyLive: 3, replaced: true });
      // Only the newer live entry is left different: an older version is never written over it.
      expect(await rebuildReadModel('order-state', options)).toMatchObject({ rebuilt: orders.length, live: orders.length, onlyRebuilt: 1, onlyLive: 1 });
      expect((await view(ahead!.id)).version).toBe(aheadView.version + 1);
      const rebuiltBucket = await new Kvm(nc).open(`${ORDER_STATE_BUCKET}_rebuild`);
      expect(await view(stale!.id)).toEqual((await rebuiltBucket.get(stale!.id))!.json<OrderView>());
      expect((await view(gone!.id)).version).toBe(gone!.version);

      await liveBucket.put(ahead!.id, JSON.stringify(aheadView));
      expect(await rebuildReadModel('order-state', options)).toMatchObject({ rebuilt: orders.length, live: orders.length, onlyRebuilt: 0, onlyLive: 0 });
    });
  });
});
