import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers } from '#contracts';
import { startPipeline, type Pipeline } from '#local-infra';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { orderRequest, placeOrder, waitUntilTerminal, type OrderView } from './support/orders.js';

const ORDERS = 6;

/**
 * GET /api/v1/stats and GET /metrics of the built orders-api after known
 * orders went all the way through the real pipeline (every payment captured,
 * so every order ends SHIPPED). The pipeline's database is its own, so the
 * figures cover exactly these orders.
 */
describe('stats and metrics (built services, real NATS JetStream and PostgreSQL)', () => {
  const customer = `e2e-stats-${randomBytes(4).toString('hex')}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let orders: OrderView[];

  beforeAll(async () => {
    pipeline = await startPipeline({
      paymentSuccessRate: 1,
      paymentLatencyMs: 5,
      env: { 'orders-api': { METRICS_LOG_INTERVAL_MS: '500' } },
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    const placed = await Promise.all(Array.from({ length: ORDERS }, (_, i) => placeOrder(api, orderRequest(customer, i))));
    orders = await waitUntilTerminal(api, placed.map((order) => order.id));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('counts the shipped orders, their revenue, customer and products', async () => {
    expect(orders.map((order) => order.state)).toEqual(Array(ORDERS).fill('SHIPPED'));
    const revenueCents = orders.reduce((sum, order) => sum + order.totalCents, 0);

    const { status, body } = await api.get('/stats');
    expect(status).toBe(200);
    expect(body.ordersByState).toContainEqual({ state: 'SHIPPED', orders: ORDERS });
    expect(body.ordersByState.reduce((sum: number, s: { orders: number }) => sum + s.orders, 0)).toBe(ORDERS);
    expect(body.revenue).toEqual([
      { currency: 'EUR', orders: ORDERS, revenueCents, averageOrderValueCents: Math.round(revenueCents / ORDERS) },
    ]);
    expect(body.topCustomers).toEqual([{ customerId: customer, currency: 'EUR', orders: ORDERS, revenueCents }]);
    // Every order has one SKU-SHARED; orderRequest's own SKUs have 1 to 3 units each.
    expect(body.topProducts[0]).toEqual({ sku: 'SKU-SHARED', currency: 'EUR', quantity: ORDERS, revenueCents: ORDERS * 250 });
    expect(body.topProducts).toHaveLength(5);
    // The window is the last minute by the clock, so only its shape is certain here
    // (test/integration/order-stats.int-spec.ts checks exact counts).
    expect(body.throughput.windowSeconds).toBe(60);
    expect(body.throughput.ordersCreated).toBeLessThanOrEqual(ORDERS);
    expect(body.throughput.ordersCompleted).toBeLessThanOrEqual(ORDERS);
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
});
