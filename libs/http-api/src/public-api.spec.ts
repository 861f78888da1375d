import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeApiDocuments, SERVED_BY, upstreamSharesOf } from './public-api.js';
import { isUnder } from './upstream-proxy.js';

const info = { title: 'Order pipeline API', version: '1' };

function documentOf(paths: string[], schemas: Record<string, object> = {}, tags: string[] = []): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'one service', version: '1' },
    paths: Object.fromEntries(paths.map((path) => [path, { get: { responses: { '200': { description: 'ok' } } } }])),
    components: { schemas },
    tags: tags.map((name) => ({ name })),
  };
}

describe('the public API document', () => {
  it('keeps the edge whole, adds the /api/v1 routes of the services behind it, and names who answers each', () => {
    const merged = mergeApiDocuments(
      { service: 'orders-api', document: documentOf(['/api/v1/orders', '/health'], { Order: { type: 'object' } }, ['orders']) },
      [{ service: 'inventory', document: documentOf(['/api/v1/products', '/health', '/metrics'], { Product: { type: 'object' } }, ['products', 'orders']) }],
      info,
    );
    expect(Object.keys(merged.paths)).toEqual(['/api/v1/orders', '/health', '/api/v1/products']);
    expect(merged.paths['/api/v1/products']!.get![SERVED_BY as 'summary']).toBe('inventory');
    expect(merged.paths['/health']!.get![SERVED_BY as 'summary']).toBe('orders-api');
    expect(Object.keys(merged.components!.schemas!)).toEqual(['Order', 'Product']);
    expect(merged.tags!.map((tag) => tag.name)).toEqual(['orders', 'products']);
    expect(merged.info).toBe(info);
  });

  it('refuses a path two services describe, or a schema name described two ways', () => {
    const edge = { service: 'orders-api', document: documentOf(['/api/v1/orders'], { Error: { type: 'object' } }) };
    expect(() => mergeApiDocuments(edge, [{ service: 'inventory', document: documentOf(['/api/v1/orders']) }], info)).toThrow(
      '/api/v1/orders is described by both orders-api and inventory',
    );
    expect(() => mergeApiDocuments(edge, [{ service: 'inventory', document: documentOf([], { Error: { type: 'string' } }) }], info)).toThrow(
      'schema Error is described one way by orders-api and another by inventory',
    );
    // The same schema from a shared class is one schema.
    expect(() => mergeApiDocuments(edge, [{ service: 'inventory', document: documentOf([], { Error: { type: 'object' } }) }], info)).not.toThrow();
  });

  it('splits back into the upstreams\' shares, so the edge can describe itself live and take the rest from the build', () => {
    const built = mergeApiDocuments(
      { service: 'orders-api', document: documentOf(['/api/v1/orders']) },
      [
        { service: 'inventory', document: documentOf(['/api/v1/products', '/api/v1/products/{sku}']) },
        { service: 'analytics', document: documentOf(['/api/v1/analytics']) },
      ],
      info,
    );
    const shares = upstreamSharesOf(built, 'orders-api');
    expect(shares.map((share) => [share.service, Object.keys(share.document.paths)])).toEqual([
      ['inventory', ['/api/v1/products', '/api/v1/products/{sku}']],
      ['analytics', ['/api/v1/analytics']],
    ]);
    const again = mergeApiDocuments({ service: 'orders-api', document: documentOf(['/api/v1/orders', '/api/v1/new']) }, shares, info);
    expect(Object.keys(again.paths)).toEqual(['/api/v1/orders', '/api/v1/new', '/api/v1/products', '/api/v1/products/{sku}', '/api/v1/analytics']);
  });
});

describe('the edge\'s forwarding rule', () => {
  it('takes the prefix and what is below it, with or without a query, and nothing that merely starts alike', () => {
    expect(isUnder('/api/v1/products', '/api/v1/products')).toBe(true);
    expect(isUnder('/api/v1/products?limit=2', '/api/v1/products')).toBe(true);
    expect(isUnder('/api/v1/products/ESPRESSO-BEANS/restock', '/api/v1/products')).toBe(true);
    expect(isUnder('/api/v1/productsX', '/api/v1/products')).toBe(false);
    expect(isUnder('/api/v1/orders', '/api/v1/products')).toBe(false);
  });
});
