import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { startOrdersApi, type TestOrdersApi } from './support/orders-api.js';

/**
 * Who may call orders-api, on its real module and HTTP surface: API keys with
 * scopes on every /api/v1 route (401, 403 with reasons), the open
 * operational routes, the per-client write limit (429 with Retry-After), the
 * security headers and closed CORS, and all of it in the OpenAPI document.
 * (A file of its own: orders-api's module reads its environment once per file.)
 */
const ORDER = { customerId: 'cust-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 500 }] };
const SOME_ORDER_ID = '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c';

describe('access to orders-api', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let api: TestOrdersApi;
  const WRITE_LIMIT = 3;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'access' }));
    api = await startOrdersApi(nats, db.url, {
      OUTBOX_RELAY_ENABLED: 'false',
      RATE_LIMIT_WRITES: String(WRITE_LIMIT),
      RATE_LIMIT_WINDOW_MS: '60000',
    });
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  const anonymous = () => api.as('');

  it('answers 401 without a key, or with a wrong one, on every /api/v1 route', async () => {
    const routes: Array<['get' | 'post', string]> = [
      ['get', '/api/v1/orders'],
      ['post', '/api/v1/orders'],
      ['get', `/api/v1/orders/${SOME_ORDER_ID}`],
      ['post', `/api/v1/orders/${SOME_ORDER_ID}/cancel`],
      ['get', '/api/v1/dead-letters'],
      ['post', '/api/v1/dead-letters/replay'],
      ['get', `/api/v1/dead-letters/${SOME_ORDER_ID}`],
      ['post', `/api/v1/dead-letters/${SOME_ORDER_ID}/replay`],
      ['post', `/api/v1/dead-letters/${SOME_ORDER_ID}/discard`],
      ['post', `/api/v1/orders/${SOME_ORDER_ID}/ship`],
      ['get', `/api/v1/orders/${SOME_ORDER_ID}/events`],
      ['get', '/api/v1/operations'],
    ];
    for (const [method, path] of routes) {
      const missing = await anonymous()[method](path).unset('X-API-Key');
      const wrong = await api.as('not-a-key-of-this-service-0123456789')[method](path);
      expect({ path, missing: missing.status, wrong: wrong.status }).toEqual({ path, missing: 401, wrong: 401 });
      expect(missing.body.message).toBe('An API key is required: send it in the X-API-Key header.');
      expect(wrong.body.message).toBe('The API key is not valid.');
    }
  });

  it('answers 403 naming the missing scope for a read-only key on the operator endpoints and on writes', async () => {
    const reader = () => api.as(api.keys.reader);
    expect((await reader().get('/api/v1/orders')).status).toBe(200);
    const deadLetters = await reader().get('/api/v1/dead-letters');
    expect(deadLetters.status).toBe(403);
    expect(deadLetters.body.message).toBe('The API key "local-reader" lacks the scope operator.');
    expect((await reader().post('/api/v1/dead-letters/replay')).status).toBe(403);
    expect((await reader().get('/api/v1/operations')).status).toBe(403);
    expect((await api.as(api.keys.storefront).get('/api/v1/operations')).status).toBe(403);
    const placed = await reader().post('/api/v1/orders').send(ORDER);
    expect(placed.status).toBe(403);
    expect(placed.body.message).toContain('orders:place');
    expect((await reader().post(`/api/v1/orders/${SOME_ORDER_ID}/cancel`)).status).toBe(403);
    expect((await api.as(api.keys.storefront).get('/api/v1/dead-letters')).status).toBe(403);
    expect((await api.as().get('/api/v1/dead-letters')).status).toBe(200);
  });

  it('leaves health and metrics open to probes and scrapers, without a key', async () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
      const response = await anonymous().get(path).unset('X-API-Key');
      // /health may say 503 here (no consumers run in this test): what matters is that no key was asked for.
      expect({ path, authRefused: response.status === 401 || response.status === 403 }).toEqual({ path, authRefused: false });
    }
  });

  it('limits writes per client with 429 and Retry-After, without touching other clients', async () => {
    const storefront = () => api.as(api.keys.storefront);
    const answers: number[] = [];
    for (let i = 0; i <= WRITE_LIMIT; i++) answers.push((await storefront().post('/api/v1/orders').send(ORDER)).status);
    expect(answers).toEqual([...Array(WRITE_LIMIT).fill(201), 429]);
    const limited = await storefront().post(`/api/v1/orders/${SOME_ORDER_ID}/cancel`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toContain(`at most ${WRITE_LIMIT} per 60 s`);
    // Reads are not limited, and another key has its own budget.
    expect((await storefront().get('/api/v1/orders')).status).toBe(200);
    expect((await api.as().post('/api/v1/orders').send(ORDER)).status).toBe(201);
  });

  it('sends security headers, no X-Powered-By, and no CORS permission', async () => {
    const response = await api.as().get('/api/v1/orders').set('Origin', 'https://evil.example');
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await anonymous()
      .options('/api/v1/orders')
      .unset('X-API-Key')
      .set({ Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('documents the key, the scopes and the refusals in OpenAPI', async () => {
    const document = (await anonymous().get('/docs-json').unset('X-API-Key')).body;
    expect(document.components.securitySchemes['api-key']).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }));
    const place = document.paths['/api/v1/orders'].post;
    expect(place.security).toEqual([{ 'api-key': [] }]);
    expect(Object.keys(place.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '429', '503']));
    const body = place.requestBody.content['application/json'].schema;
    expect(body.properties.customerId).toEqual(expect.objectContaining({ type: 'string', minLength: 1, maxLength: 64 }));
    expect(body.properties.lines.items.properties.quantity).toEqual(expect.objectContaining({ type: 'integer', minimum: 1, maximum: 10_000 }));
    expect(body.properties.lines.items.properties.sku.pattern).toBe('^[A-Za-z0-9_-]+$');
    expect(body.additionalProperties).toBe(false);
    const key = place.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
    expect(key.schema.maxLength).toBe(255);
    const get = document.paths['/api/v1/orders/{id}'].get;
    expect(get.parameters.find((p: { name: string }) => p.name === 'consistency').schema.enum).toEqual(['strong', 'eventual']);
    expect(document.paths['/metrics'].get).toBeDefined();
  });
});
