import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CATALOG_SKUS, serverSentJson, startPipeline, type Pipeline } from '#local-infra';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { orderRequest, placeOrder } from './support/orders.js';

interface OpenApiDocument {
  info: { title: string };
  paths: Record<string, Record<string, { 'x-served-by'?: string }>>;
}

const docsOf = async (baseUrl: string): Promise<OpenApiDocument> => (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;

const apiPathsOf = (document: OpenApiDocument): string[] => Object.keys(document.paths).filter((path) => path.startsWith('/api/v1/'));

/**
 * orders-api is the one public edge: the catalog (inventory) and the figures
 * (analytics) are reached through its base URL with the same keys, bodies
 * and streamed answers as directly; its /docs describes the whole API as the
 * services themselves describe their shares; an upstream that is down is a
 * 502 in the API's error shape, and back once it is.
 */
describe('the public edge (built services, real NATS JetStream and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  let pipeline: Pipeline;
  let edge: ApiClient;

  beforeAll(async () => {
    pipeline = await startPipeline({ databaseName: `e2e_public_edge_${run}`, paymentSuccessRate: 1, paymentLatencyMs: 5, logDir: process.env['E2E_LOG_DIR'] });
    edge = apiClient(pipeline.api);
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('serves one OpenAPI document that matches what every service says of its own routes', async () => {
    const published = await docsOf(pipeline.apiUrl);
    expect(published.info.title).toBe('Order pipeline API');
    const servedBy = (path: string) => Object.values(published.paths[path]!)[0]!['x-served-by'];
    // The services behind the edge: their share of the published document is what they publish themselves.
    for (const service of ['inventory', 'analytics'] as const) {
      const own = apiPathsOf(await docsOf(pipeline.serviceUrls[service]));
      expect(own.length).toBeGreaterThan(0);
      expect(apiPathsOf(published).filter((path) => servedBy(path) === service).sort()).toEqual(own.sort());
    }
    // The edge describes its own routes live; every public path names who answers it.
    expect(apiPathsOf(published).filter((path) => servedBy(path) === 'orders-api')).toEqual(
      expect.arrayContaining(['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/dead-letters']),
    );
    expect(apiPathsOf(published).filter((path) => servedBy(path) === undefined)).toEqual([]);
    expect(published.paths['/api/v1/products/{sku}/restock']!['post']!['x-served-by']).toBe('inventory');
  });

  it('forwards the catalog with the caller\'s key and body: reads, a restock, and the upstream\'s own refusals', async () => {
    const sku = CATALOG_SKUS[0]!;
    const listed = await edge.get<{ items: { sku: string }[] }>('/products');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.sku)).toContain(sku);

    const before = await edge.get<{ sku: string; onHand: number; version: number }>(`/products/${sku}`);
    expect(before.status).toBe(200);
    const restocked = await edge.post<{ onHand: number; version: number }>(`/products/${sku}/restock`, { quantity: 5, version: before.body.version });
    expect(restocked.status).toBe(200);
    expect(restocked.body).toMatchObject({ onHand: before.body.onHand + 5, version: before.body.version + 1 });
    // A stale version is inventory's 409, a bad body its 400 with the field, a missing scope its 403, no key its 401.
    expect((await edge.post(`/products/${sku}/restock`, { quantity: 5, version: before.body.version })).status).toBe(409);
    const invalid = await edge.post<{ errors: { field: string }[] }>(`/products/${sku}/restock`, { quantity: -1, version: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error) => error.field)).toEqual(['quantity']);
    const storefront = apiClient({ url: pipeline.apiUrl, key: pipeline.apiKeys.storefront });
    expect((await storefront.post(`/products/${sku}/restock`, { quantity: 1, version: restocked.body.version })).status).toBe(403);
    expect((await fetch(`${pipeline.apiUrl}/api/v1/products`)).status).toBe(401);
    expect((await edge.get('/products/NO-SUCH-SKU')).status).toBe(404);
    // Only the prefix and what is below it goes to inventory.
    expect((await edge.get('/productsX')).status).toBe(404);
  });

  it('forwards the figures and streams their live feed through the edge', async () => {
    const stream = await fetch(`${pipeline.apiUrl}/api/v1/analytics/stream`, { headers: { 'x-api-key': pipeline.api.key } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const updates = serverSentJson<{ orders: { created: number } }>(stream);
    const first = await updates.next();
    expect(first.done).toBe(false);

    await placeOrder(edge, orderRequest(`e2e-edge-${run}`, 1));
    await eventually('the figures to count the order', async () => {
      const figures = await edge.get<{ orders: { created: number } }>('/analytics');
      expect(figures.status).toBe(200);
      return figures.body.orders.created === 1 ? figures.body : undefined;
    });
    // The feed pushes the change through the edge as well.
    for (let update = await updates.next(); !update.done; update = await updates.next()) {
      if (update.value.orders.created === 1) break;
    }
    await updates.return(undefined);
  });

  it('answers 502 in the error shape while an upstream is down, and forwards again once it is back', async () => {
    await pipeline.services.analytics.stop();
    try {
      const down = await edge.get<{ statusCode: number; error: string; message: string }>('/analytics');
      expect(down.status).toBe(502);
      expect(down.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', message: expect.stringContaining('analytics did not answer') });
      // The rest of the edge is unaffected.
      expect((await edge.get('/products')).status).toBe(200);
    } finally {
      await pipeline.services.analytics.restart();
    }
    expect((await edge.get('/analytics')).status).toBe(200);
  });
});
