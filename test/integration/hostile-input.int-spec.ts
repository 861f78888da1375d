import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { startOrdersApi, type TestOrdersApi } from './support/orders-api.js';

/**
 * One test per class of hostile input that once got a 500 or a wrong reason
 * from orders-api, on the real module, HTTP surface and PostgreSQL: if a
 * class comes back, its test fails. Every refusal is a 400 that names the
 * field and the rule, and writes nothing (no order, no outbox row).
 */
const ORDER = { customerId: 'cust-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 500 }] };
const SOME_ORDER_ID = '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c';

describe('hostile input (orders-api)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let api: TestOrdersApi;

  const written = async () => {
    const [row] = await db.sql.$queryRawUnsafe<Array<{ orders: bigint; outbox: bigint }>>(
      'SELECT (SELECT count(*) FROM orders.orders) AS orders, (SELECT count(*) FROM orders.outbox_events) AS outbox',
    );
    return { orders: Number(row!.orders), outbox: Number(row!.outbox) };
  };

  /** POSTs a raw body as JSON and expects a 400 naming `field` with `rule`, and nothing written. */
  const refusedOrder = async (body: string, field: string, rule: string, headers: Record<string, string> = {}) => {
    const before = await written();
    const response = await api.as().post('/api/v1/orders').set({ 'content-type': 'application/json', ...headers }).send(body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual({ field, rule, reason: expect.stringContaining(field) });
    expect(await written()).toEqual(before);
    return response.body.errors as Array<{ field: string; rule: string; reason: string }>;
  };

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'hostile' }));
    api = await startOrdersApi(nats, db.url, { OUTBOX_RELAY_ENABLED: 'false' });
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  it('accepts the well-formed order the refusals below are variations of', async () => {
    const response = await api.as().post('/api/v1/orders').send(ORDER);
    expect(response.status).toBe(201);
  });

  describe('NUL characters', () => {
    it('refuses one in a body text field', async () => {
      await refusedOrder(JSON.stringify({ ...ORDER, customerId: 'a\u0000b' }), 'customerId', 'text');
    });

    it('refuses one in a nested field and in a key', async () => {
      await refusedOrder(JSON.stringify({ ...ORDER, lines: [{ ...ORDER.lines[0], sku: 'SKU\u0000' }] }), 'lines.0.sku', 'text');
      await refusedOrder(JSON.stringify({ ...ORDER, 'x\u0000': 1 }), 'x\u0000', 'text');
    });

    it('refuses one in a query parameter and in a cancel reason', async () => {
      const listed = await api.as().get('/api/v1/orders').query({ customerId: 'a\u0000' });
      expect(listed.status).toBe(400);
      expect(listed.body.errors).toEqual([{ field: 'customerId', rule: 'text', reason: 'customerId must not contain a NUL character' }]);
      const cancelled = await api.as().post(`/api/v1/orders/${SOME_ORDER_ID}/cancel`).send({ reason: 'because\u0000' });
      expect(cancelled.status).toBe(400);
      expect(cancelled.body.errors).toEqual([{ field: 'reason', rule: 'text', reason: 'reason must not contain a NUL character' }]);
    });
  });

  describe('unpaired surrogates', () => {
    it('refuses a lone high or low surrogate in a text field', async () => {
      await refusedOrder('{"customerId":"a\\ud800","lines":[{"sku":"S","quantity":1,"unitPriceCents":1}]}', 'customerId', 'text');
      await refusedOrder('{"customerId":"\\udc00z","lines":[{"sku":"S","quantity":1,"unitPriceCents":1}]}', 'customerId', 'text');
    });

    it('takes a well-formed pair (an emoji)', async () => {
      const response = await api.as().post('/api/v1/orders').send({ ...ORDER, customerId: 'cust-\u{1F600}' });
      expect(response.status).toBe(201);
    });
  });

  describe('depth', () => {
    it('refuses a body nested thousands of levels deep with a fixed 400, before parsing it', async () => {
      const before = await written();
      for (const body of ['['.repeat(5_000) + ']'.repeat(5_000), `{"customerId":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}}`]) {
        const response = await api.as().post('/api/v1/orders').set('content-type', 'application/json').send(body);
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The body is nested deeper than 32 levels.' });
      }
      expect(await written()).toEqual(before);
    });

    it('counts brackets inside strings as text, not nesting', async () => {
      const response = await api.as().post('/api/v1/orders').send({ ...ORDER, customerId: '[[[[{{{{'.repeat(8) });
      expect(response.status).toBe(201);
    });

    it('refuses every body route the same way', async () => {
      const deep = '['.repeat(100) + ']'.repeat(100);
      for (const path of [`/api/v1/orders/${SOME_ORDER_ID}/cancel`, '/api/v1/dead-letters/replay', `/api/v1/dead-letters/${SOME_ORDER_ID}/discard`]) {
        const response = await api.as().post(path).set('content-type', 'application/json').send(deep);
        expect({ path, status: response.status, message: response.body.message }).toEqual({
          path,
          status: 400,
          message: 'The body is nested deeper than 32 levels.',
        });
      }
    });
  });

  describe('the Idempotency-Key', () => {
    it('refuses one longer than its documented maximum, and one with spaces or control characters', async () => {
      await refusedOrder(JSON.stringify(ORDER), 'Idempotency-Key', 'max', { 'Idempotency-Key': 'k'.repeat(3_000) });
      await refusedOrder(JSON.stringify(ORDER), 'Idempotency-Key', 'format', { 'Idempotency-Key': 'two words' });
    });

    it('takes one at the maximum length, and replays it', async () => {
      const key = 'k'.repeat(255);
      const first = await api.as().post('/api/v1/orders').set('Idempotency-Key', key).send(ORDER);
      const again = await api.as().post('/api/v1/orders').set('Idempotency-Key', key).send(ORDER);
      expect([first.status, again.status, again.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
      expect(again.body.id).toBe(first.body.id);
    });
  });

  describe('prototype keys', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('refuses %s like any unknown key, at the top and nested', async (key) => {
      await refusedOrder(`{"customerId":"c","lines":[{"sku":"S","quantity":1,"unitPriceCents":1}],"${key}":{"polluted":true}}`, key, 'unknown_field');
      await refusedOrder(`{"customerId":"c","lines":[{"sku":"S","quantity":1,"unitPriceCents":1,"${key}":{"polluted":true}}]}`, `lines.0.${key}`, 'unknown_field');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('refuses one in the query string', async () => {
      const response = await api.as().get('/api/v1/orders?__proto__=1');
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: '__proto__', rule: 'unknown_field', reason: '__proto__ is not a known field' }]);
    });
  });

  describe('type before range', () => {
    it('reports a wrong type as a type error, not a length or range error', async () => {
      const errors = await refusedOrder(JSON.stringify({ ...ORDER, customerId: 5 }), 'customerId', 'type');
      expect(errors).toEqual([{ field: 'customerId', rule: 'type', reason: 'customerId must be a string' }]);
      expect(await refusedOrder(JSON.stringify({ ...ORDER, lines: [{ ...ORDER.lines[0], quantity: '2' }] }), 'lines.0.quantity', 'type')).toEqual([
        { field: 'lines.0.quantity', rule: 'type', reason: 'lines.0.quantity must be an integer' },
      ]);
      await refusedOrder(JSON.stringify({ ...ORDER, lines: [{ ...ORDER.lines[0], quantity: 1.5 }] }), 'lines.0.quantity', 'type');
      await refusedOrder(JSON.stringify({ ...ORDER, lines: 'many' }), 'lines', 'type');
    });

    it('reports a missing field as required', async () => {
      expect(await refusedOrder(JSON.stringify({ customerId: 'c' }), 'lines', 'required')).toEqual([
        { field: 'lines', rule: 'required', reason: 'lines is required' },
      ]);
    });

    it('reports a range only for a value of the right type', async () => {
      await refusedOrder(JSON.stringify({ ...ORDER, lines: [{ ...ORDER.lines[0], quantity: 10_001 }] }), 'lines.0.quantity', 'max');
      await refusedOrder(JSON.stringify({ ...ORDER, customerId: 'c'.repeat(65) }), 'customerId', 'max');
      await refusedOrder(JSON.stringify({ ...ORDER, lines: [] }), 'lines', 'min');
    });

    it('checks query values as text first: digits, then range, once each', async () => {
      const cases: Array<[string, string, string]> = [
        ['limit=abc', 'limit', 'format'],
        ['limit=0', 'limit', 'min'],
        ['limit=1&limit=2', 'limit', 'single'],
        ['state=LOST', 'state', 'enum'],
        ['cursor=nope', 'cursor', 'format'],
      ];
      for (const [query, field, rule] of cases) {
        const response = await api.as().get(`/api/v1/orders?${query}`);
        expect({ query, status: response.status, errors: response.body.errors }).toEqual({ query, status: 400, errors: [expect.objectContaining({ field, rule })] });
      }
    });
  });

  describe('bodies that are not JSON', () => {
    it('answers a fixed 400 that does not echo the body', async () => {
      const secret = 'card-4111111111111111';
      const response = await api.as().post('/api/v1/orders').set('content-type', 'application/json').send(`{"customerId": ${secret}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The body is not valid JSON.' });
      expect(response.text).not.toContain(secret);
    });

    it('answers 415 for another content type and 413 past the size limit', async () => {
      const text = await api.as().post('/api/v1/orders').set('content-type', 'text/plain').send('hello');
      expect(text.status).toBe(415);
      const huge = await api.as().post('/api/v1/orders').send({ ...ORDER, customerId: 'x'.repeat(100_000) });
      expect(huge.status).toBe(413);
    });
  });
});
