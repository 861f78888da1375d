import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startPipeline, type Pipeline } from '#local-infra';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient, type ApiResponse } from './support/http.js';
import { orderRequest, placeOrder, type OrderView } from './support/orders.js';

/** Long enough for many requests to meet the database down, as a real restart or fail-over would. */
const DOWNTIME_MS = 4_000;

/**
 * orders-api while PostgreSQL is down: the built services on a real NATS and
 * a real (embedded) PostgreSQL that is stopped (fast shutdown: sessions are
 * terminated) and started again on the same port. Every request answers 503
 * with Retry-After, never 500, and the same requests succeed once it is back.
 */
// Only a PostgreSQL these tests started is theirs to stop: skipped against DATABASE_URL.
const describeOwnPostgres = process.env['DATABASE_URL'] ? describe.skip : describe;
describeOwnPostgres('orders-api while PostgreSQL restarts (built services)', () => {
  const run = randomBytes(4).toString('hex');
  let pipeline: Pipeline;
  let api: ApiClient;
  let known: OrderView;
  const during: Array<{ what: string; response: ApiResponse }> = [];

  beforeAll(async () => {
    pipeline = await startPipeline({ databaseName: `e2e_database_unavailable_${run}`, logDir: process.env['E2E_LOG_DIR'] });
    api = apiClient(pipeline.api);
    known = await placeOrder(api, orderRequest(`e2e-db-down-${run}`, 0));

    let restarted = false;
    const restart = pipeline.postgres.restart({ downtimeMs: DOWNTIME_MS }).finally(() => (restarted = true));
    for (let attempt = 0; !restarted; attempt++) {
      const [post, get] = await Promise.all([
        api.post('/orders', orderRequest(`e2e-db-down-${run}`, attempt + 1), { 'idempotency-key': `db-down-${run}-${attempt}` }),
        api.get(`/orders/${known.id}`),
      ]);
      during.push({ what: 'POST /orders', response: post }, { what: 'GET /orders/:id', response: get });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await restart;
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('never answers 500 while the database is down or restarting', () => {
    const failures = during.filter(({ response }) => response.status >= 500 && response.status !== 503);
    expect(failures.map(({ what, response }) => `${what}: ${response.status} ${JSON.stringify(response.body)}`)).toEqual([]);
    for (const { response } of during) expect([200, 201, 503]).toContain(response.status);
  });

  it('answers 503 with Retry-After and a JSON body to reads and writes while it is down', () => {
    for (const what of ['POST /orders', 'GET /orders/:id']) {
      const unavailable = during.filter((entry) => entry.what === what && entry.response.status === 503);
      expect({ what, metTheDatabaseDown: unavailable.length > 0 }).toEqual({ what, metTheDatabaseDown: true });
      for (const { response } of unavailable) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      }
    }
  });

  it('serves the same requests again once it is back', async () => {
    const order = await eventually('POST /orders to succeed again', async () => {
      const response = await api.post<OrderView>('/orders', orderRequest(`e2e-db-down-${run}`, 999), { 'idempotency-key': `db-back-${run}` });
      return response.status === 201 ? response.body : undefined;
    }, { timeoutMs: 30_000 });
    expect((await api.get<OrderView>(`/orders/${order.id}`)).status).toBe(200);
    expect((await api.get<OrderView>(`/orders/${known.id}`)).body.id).toBe(known.id);
  });
});
