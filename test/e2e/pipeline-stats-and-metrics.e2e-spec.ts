import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers } from '#contracts';
import { apiHeaders, serverSentJson, startPipeline, type Pipeline } from '#local-infra';
import { PipelineDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { SHARED_SKU, orderRequest, placeOrder, waitUntilTerminal, type OrderView } from './support/orders.js';

const ORDERS = 6;

/**
 * The business figures of the built analytics service (GET /api/v1/analytics
 * and its live feed) and GET /metrics of the built orders-api after known
 * orders went all the way through the real pipeline (every payment captured,
 * so every order ends SHIPPED). The pipeline's database is its own, so the
 * figures cover exactly these orders, and they must equal a recount from
 * orders-api's own tables.
 */
describe('analytics and metrics (built services, real NATS JetStream and PostgreSQL)', () => {
  const customer = `e2e-stats-${randomBytes(4).toString('hex')}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let analytics: ApiClient;
  let database: PipelineDatabase;
  let orders: OrderView[];

  beforeAll(async () => {
    pipeline = await startPipeline({
      paymentSuccessRate: 1,
      paymentLatencyMs: 5,
      env: { 'orders-api': { METRICS_LOG_INTERVAL_MS: '500' } },
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    analytics = apiClient({ url: pipeline.serviceUrls.analytics, key: pipeline.apiKeys.reader });
    database = new PipelineDatabase(pipeline.databaseUrl);
    const placed = await Promise.all(Array.from({ length: ORDERS }, (_, i) => placeOrder(api, orderRequest(customer, i))));
    orders = await waitUntilTerminal(api, placed.map((order) => order.id));
  });

  afterAll(async () => {
    await database?.close();
    await pipeline?.stop();
  });

  it('serves the figures of a recount from the orders table, once analytics has caught up', async () => {
    expect(orders.map((order) => order.state)).toEqual(Array(ORDERS).fill('SHIPPED'));
    const revenueCents = orders.reduce((sum, order) => sum + order.totalCents, 0);
    const recount = await recountFromOrders(database);
    expect(recount.orders).toMatchObject({ created: ORDERS, paid: ORDERS });

    let body: any;
    await eventually('analytics to have applied every order and payment', async () => {
      const response = await analytics.get('/analytics');
      body = response.body;
      return response.status === 200 && body.orders.created === ORDERS && body.orders.paid === ORDERS ? true : undefined;
    });
    expect({ orders: body.orders, revenue: body.revenue, topCustomers: body.topCustomers, topProducts: body.topProducts }).toEqual(recount);
    // The same figures orders-api's GET /stats used to serve, by hand:
    expect(body.revenue).toEqual([
      { currency: 'EUR', ordersCreated: ORDERS, ordersPaid: ORDERS, revenueCents, refundedCents: 0, averageOrderValueCents: Math.round(revenueCents / ORDERS) },
    ]);
    expect(body.topCustomers).toEqual([{ customerId: customer, currency: 'EUR', orders: ORDERS, revenueCents }]);
    // Every order has one SHARED_SKU; orderRequest's own SKUs have 1 to 3 units each.
    expect(body.topProducts[0]).toEqual({ sku: SHARED_SKU, currency: 'EUR', quantity: ORDERS, revenueCents: ORDERS * 250 });
    expect(body.topProducts).toHaveLength(5);
    // Minutes by the orders' own times; all of them within the hour.
    expect(body.ordersPerMinute.reduce((sum: number, m: { orders: number }) => sum + m.orders, 0)).toBe(ORDERS);
  });

  it('shows the work in GET /metrics', async () => {
    const response = await fetch(`${pipeline.apiUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const scrape = await response.text();
    const line = (pattern: string) => new RegExp(`^${pattern} (\\S+)$`, 'm').exec(scrape)?.[1];

    // payments.initiated and payments.succeeded per order, on orders-api's payments consumer.
    const acked = line(`pipeline_events_processed_total\\{consumer="${Consumers.ordersOnPayments.durable}",subject="payments.succeeded",outcome="acked",service="orders-api"\\}`);
    expect(Number(acked)).toBeGreaterThanOrEqual(ORDERS); // more only if an ack was lost and the event redelivered
    expect(Number(line('http_requests_total\\{method="POST",route="/api/v1/orders",status="201",service="orders-api"\\}'))).toBe(ORDERS);
    expect(scrape).toMatch(/^outbox_backlog_rows\{schema="orders",service="orders-api"\} \d+$/m);
    expect(scrape).toMatch(/^outbox_relay_lag_seconds\{schema="orders",service="orders-api"\} [\d.e+-]+$/m);
    expect(scrape).toMatch(new RegExp(`^jetstream_consumer_pending_messages\\{stream="PAYMENTS",durable="${Consumers.ordersOnPayments.durable}",service="orders-api"\\} \\d+$`, 'm'));
    expect(Number(line('process_resident_memory_bytes\\{service="orders-api"\\}'))).toBeGreaterThan(0);
    expect(scrape).not.toMatch(/pipeline_dead_letters_recorded_total\{/);
  });

  it('logs the METRICS summary line', async () => {
    await eventually('a METRICS line in the orders-api log', async () =>
      /METRICS processed=\d+ acked=\d+ retried=\d+ terminated=\d+ duplicates=\d+ retries=\d+ dead_letters=0 outbox_backlog=\d+ relay_lag_s=[\d.]+/.test(
        pipeline.services['orders-api'].output(),
      )
        ? true
        : undefined,
    );
  });

  it('pushes new figures on the live feed after an order (run last: it places one more)', async () => {
    const abort = new AbortController();
    const url = `${pipeline.serviceUrls.analytics}/api/v1/analytics/stream`;
    const response = await fetch(url, { headers: apiHeaders({ url, key: pipeline.apiKeys.reader }), signal: abort.signal });
    try {
      expect(response.status).toBe(200);
      const events = serverSentJson<any>(response);
      const first = (await events.next()).value;
      expect(first.orders.created).toBe(ORDERS);
      const extra = await placeOrder(api, orderRequest(customer, ORDERS));
      let update = (await events.next()).value;
      while (update.orders.created === ORDERS) update = (await events.next()).value;
      expect(update.orders.created).toBe(ORDERS + 1);
      await waitUntilTerminal(api, [extra.id]);
    } finally {
      abort.abort();
    }
  });
});

/** The figures as orders-api's tables have them: an order earns revenue while PAID, SHIPMENT_PREPARED or SHIPPED. */
async function recountFromOrders(database: PipelineDatabase) {
  const earning = `state::text IN ('PAID', 'SHIPMENT_PREPARED', 'SHIPPED')`;
  const [orders] = await database.query<Record<string, number>>(`
    SELECT count(*)::int AS created,
           count(*) FILTER (WHERE ${earning})::int AS paid,
           count(*) FILTER (WHERE state::text = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE state::text IN ('CANCELLING', 'CANCELLED'))::int AS cancelled,
           (SELECT count(*)::int FROM payments.payments WHERE status::text = 'REFUNDED') AS refunded,
           count(*) FILTER (WHERE state::text = 'REJECTED')::int AS rejected
      FROM orders.orders`);
  const revenue = await database.query(`
    SELECT currency::text AS currency, count(*)::int AS "ordersCreated", count(*) FILTER (WHERE ${earning})::int AS "ordersPaid",
           coalesce(sum(total_cents) FILTER (WHERE ${earning}), 0)::int AS "revenueCents",
           0 AS "refundedCents",
           coalesce(round(sum(total_cents) FILTER (WHERE ${earning})::numeric / nullif(count(*) FILTER (WHERE ${earning}), 0)), 0)::int AS "averageOrderValueCents"
      FROM orders.orders GROUP BY currency ORDER BY currency`);
  const topCustomers = await database.query(`
    SELECT customer_id AS "customerId", currency::text AS currency, count(*)::int AS orders, sum(total_cents)::int AS "revenueCents"
      FROM orders.orders WHERE ${earning} GROUP BY customer_id, currency
     ORDER BY sum(total_cents) DESC, customer_id, currency LIMIT 5`);
  const topProducts = await database.query(`
    SELECT l.sku, o.currency::text AS currency, sum(l.quantity)::int AS quantity, sum(l.line_total_cents)::int AS "revenueCents"
      FROM orders.order_lines l JOIN orders.orders o ON o.id = l.order_id
     WHERE o.${earning} GROUP BY l.sku, o.currency ORDER BY sum(l.quantity) DESC, l.sku, o.currency LIMIT 5`);
  return { orders, revenue, topCustomers, topProducts };
}
