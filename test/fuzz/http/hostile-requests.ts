import fc from 'fast-check';

/**
 * Hostile HTTP requests for every route of orders-api's REST API: each starts
 * from a valid request and breaks it in one of the ways a client (careless or
 * hostile) does: wrong types, boundary numbers, control characters, NUL and
 * lone surrogates, deep nesting, huge strings, prototype keys, unknown and
 * missing fields, duplicated query parameters, bodies that are not JSON or
 * not declared as JSON, odd ids, long or odd headers, and missing, wrong or
 * under-scoped API keys.
 */

/** Which key a request carries: most are authorised, so that validation is what they meet. */
export type KeyChoice = 'operator' | 'reader' | 'none' | 'bogus';

/** What a refused request must not have changed (the spec snapshots it before and after). */
export type Guarded = 'orders' | 'victim-order' | 'dead-letter' | 'product' | 'nothing';

/** The product a refused restock must leave as it is. */
export const VICTIM_SKU = 'FILTER-PAPER-100';

export interface HostileRequest {
  /** The class of hostility, for the run's summary. */
  label: string;
  method: 'GET' | 'POST';
  /** Path under /api/v1, already percent-encoded. */
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  /** The raw body, or none. */
  body?: string;
  key: KeyChoice;
  guards: Guarded;
  /** The service that serves the route; default orders-api. */
  service?: 'analytics' | 'inventory';
}

/** Real ids the requests aim at: an order and a dead letter that exist. */
export interface Targets {
  victimOrderId: string;
  deadLetterId: string;
}

const VALID_ORDER = {
  customerId: 'fuzz-http',
  currency: 'EUR',
  lines: [{ sku: 'SKU-FUZZ', quantity: 1, unitPriceCents: 100 }],
  shipping: { name: 'Fuzz Tester', email: 'fuzz@example.com', address: { line1: '1 Fuzz Lane', line2: 'Unit 2', city: 'Testville', postalCode: '1234 AB', country: 'NL' } },
};

/** Strings no text field should take whole, and a few it should. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\ud83dx', '\u{1F600}', '\u202e', '\ufeff', ''),
  fc.constantFrom('<script>alert(1)</script>', "'; DROP TABLE orders.orders; --", '../../etc/passwd', '%00', '${jndi:ldap://x}'),
  fc.integer({ min: 60, max: 6_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

const boundaryNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1, 10_000, 10_001, 10_000_000, 10_000_001, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -0, 0.5, 1.0000001, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const deep = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
};

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Any JSON value, of every kind a field may wrongly get. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: boundaryNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, boundaryNumber), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(hostileString, fc.constantFrom(...PROTOTYPE_KEYS)), hostileString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 2_000 }).map((depth) => deep(depth, 1)) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 150 }, () => VALID_ORDER.lines[0])) },
);

/** A JSON body object broken in one way, as raw text with its label. */
function brokenObject(valid: Record<string, unknown>, fields: readonly string[]): fc.Arbitrary<{ label: string; body: string }> {
  const field = fc.constantFrom(...fields);
  return fc.oneof(
    fc.tuple(field, hostileValue).map(([name, value]) => ({ label: 'field with a hostile value', body: JSON.stringify(setPath(valid, name, value)) })),
    field.map((name) => ({ label: 'missing field', body: JSON.stringify(setPath(valid, name, undefined)) })),
    fc.tuple(fc.oneof(hostileString, fc.constantFrom(...PROTOTYPE_KEYS)), hostileValue).map(([key, value]) => ({
      label: PROTOTYPE_KEYS.includes(key as never) ? 'prototype key' : 'unknown key',
      // By hand: JSON.stringify drops nothing, but an object literal with __proto__ would set the prototype.
      body: `${JSON.stringify(valid).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`,
    })),
    fc.constantFrom(...PROTOTYPE_KEYS).map((key) => ({
      label: 'nested prototype key',
      body: JSON.stringify(valid).replace('{"sku"', `{${JSON.stringify(key)}:{"polluted":true},"sku"`).replace(/}$/, `,${JSON.stringify(key)}:{"polluted":true}}`),
    })),
    hostileValue.map((value) => ({ label: 'body of the wrong kind', body: JSON.stringify(value) ?? 'null' })),
  );
}

/** Bodies that are not JSON, too deep, or too big: refused before any schema. */
const rawBody: fc.Arbitrary<{ label: string; body: string; contentType?: string }> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ label: 'not JSON', body })),
  fc.integer({ min: 1, max: 80 }).map((cut) => ({ label: 'truncated JSON', body: JSON.stringify(VALID_ORDER).slice(0, cut) })),
  fc.integer({ min: 33, max: 20_000 }).map((depth) => ({ label: 'deep nesting', body: '['.repeat(depth) + ']'.repeat(depth) })),
  fc.integer({ min: 33, max: 5_000 }).map((depth) => ({ label: 'deep nesting', body: `{"customerId":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}` })),
  fc.integer({ min: 70_000, max: 300_000 }).map((size) => ({ label: 'huge body', body: JSON.stringify({ ...VALID_ORDER, customerId: 'x'.repeat(size) }) })),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin-9').map((contentType) => ({
    label: 'not declared as JSON',
    body: JSON.stringify(VALID_ORDER),
    contentType,
  })),
);

/** Query strings: a known parameter set to anything, repeated, unknown or a prototype name. */
function brokenQuery(valid: Array<[string, string]>, names: readonly string[]): fc.Arbitrary<{ label: string; query: Array<[string, string]> }> {
  const name = fc.constantFrom(...names);
  return fc.oneof(
    fc.tuple(name, hostileString).map(([key, value]) => ({ label: 'query parameter with a hostile value', query: [...valid.filter(([k]) => k !== key), [key, value] as [string, string]] })),
    fc.tuple(name, hostileString, hostileString).map(([key, a, b]) => ({ label: 'duplicated query parameter', query: [...valid, [key, a] as [string, string], [key, b] as [string, string]] })),
    fc.tuple(fc.oneof(hostileString, fc.constantFrom(...PROTOTYPE_KEYS, 'a[b]', 'a[]', 'limit[]')), hostileString).map(([key, value]) => ({
      label: 'unknown query parameter',
      query: [...valid, [key || 'x', value] as [string, string]],
    })),
    fc.constantFrom<Array<[string, string]>>([['limit', '0']], [['limit', '101']], [['limit', '-1']], [['limit', '1e2']], [['limit', '99999999999999999999']], [['limit', ' 5']]).map((query) => ({
      label: 'boundary number in the query',
      query,
    })),
  );
}

/** Ids in paths: garbage, near-UUIDs, and valid UUIDs of nothing. */
const hostileId: fc.Arbitrary<string> = fc.oneof(
  hostileString.filter((s) => s.length > 0),
  fc.uuid({ version: [1, 4, 7] }),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', '01936C4E-8A8F-7C3E-9B1A-2F4D5E6A7B8C', '01936c4e8a8f7c3e9b1a2f4d5e6a7b8c', '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8', '..', '%2e%2e'),
);

/** Header values a client can send (visible Latin-1; fetch refuses control characters itself). */
const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 300 }),
  fc.integer({ min: 200, max: 7_000 }).map((n) => 'k'.repeat(n)),
  fc.uuid({ version: 7 }),
  fc.constantFrom('a, b', ' ', 'é', '\t'),
);

const keyChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 17, arbitrary: fc.constant<KeyChoice>('operator') },
  { weight: 1, arbitrary: fc.constant<KeyChoice>('reader') },
  { weight: 1, arbitrary: fc.constant<KeyChoice>('none') },
  { weight: 1, arbitrary: fc.constant<KeyChoice>('bogus') },
);

const segment = (id: string) => percentEncode(id);

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent
 * as the three bytes a careless encoder makes of it (WTF-8), i.e. as percent
 * escapes that do not decode to UTF-8: what a hostile client can put in a URL.
 */
export function percentEncode(text: string): string {
  if (text.isWellFormed()) return encodeURIComponent(text);
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

export function hostileRequests(targets: Targets): fc.Arbitrary<HostileRequest> {
  const shippingFields = ['name', 'email', 'address', 'address.line1', 'address.line2', 'address.city', 'address.postalCode', 'address.country'].map((field) => `shipping.${field}`);
  const orderFields = ['customerId', 'currency', 'lines', 'lines.0', 'lines.0.sku', 'lines.0.quantity', 'lines.0.unitPriceCents', 'shipping', ...shippingFields];
  const filterFields = ['consumer', 'subject', 'reason', 'status', 'from', 'to', 'limit'];
  const post = (path: string, body: { label: string; body: string; contentType?: string }, guards: Guarded, extra: Record<string, string> = {}) => ({
    label: body.label,
    method: 'POST' as const,
    path,
    query: [],
    headers: { 'content-type': body.contentType ?? 'application/json', ...extra },
    body: body.body,
    guards,
  });
  const get = (path: string, query: { label: string; query: Array<[string, string]> }) => ({ label: query.label, method: 'GET' as const, path, query: query.query, headers: {}, guards: 'nothing' as const });
  const anyBody = (valid: Record<string, unknown>, fields: readonly string[]) => fc.oneof({ weight: 3, arbitrary: brokenObject(valid, fields) }, { weight: 1, arbitrary: rawBody });

  const routes: Array<fc.Arbitrary<Omit<HostileRequest, 'key'>>> = [
    // POST /orders: body and headers.
    anyBody(VALID_ORDER, orderFields).map((body) => post('/orders', body, 'orders')),
    fc.tuple(fc.constantFrom('Idempotency-Key', 'X-Correlation-Id'), headerValue).map(([name, value]) => ({
      ...post('/orders', { label: `hostile ${name}`, body: JSON.stringify({ ...VALID_ORDER, customerId: 'fuzz-header' }) }, 'orders', { [name]: value }),
    })),
    // GET /orders
    brokenQuery([['limit', '5']], ['state', 'customerId', 'limit', 'cursor']).map((query) => get('/orders', query)),
    // GET /orders/:id
    hostileId.map((id) => get(`/orders/${segment(id)}`, { label: 'hostile order id', query: [] })),
    brokenQuery([], ['consistency']).map((query) => get(`/orders/${targets.victimOrderId}`, query)),
    // POST /orders/:id/cancel: a real order's cancel with a broken body must leave it as it is.
    anyBody({ reason: 'fuzz' }, ['reason']).map((body) => post(`/orders/${targets.victimOrderId}/cancel`, body, 'victim-order')),
    hostileId.map((id) => post(`/orders/${segment(id)}/cancel`, { label: 'hostile order id', body: '{}' }, 'orders')),
    // GET /analytics (the analytics service) takes no parameters.
    brokenQuery([], ['x']).map((query) => ({ ...get('/analytics', query), service: 'analytics' as const })),
    // The catalog (the inventory service): a refused restock must leave the product as it is.
    brokenQuery([['limit', '5']], ['limit', 'after']).map((query) => ({ ...get('/products', query), service: 'inventory' as const })),
    hostileId.map((sku) => ({ ...get(`/products/${segment(sku)}`, { label: 'hostile sku', query: [] }), service: 'inventory' as const })),
    anyBody({ quantity: 1, version: 1 }, ['quantity', 'version']).map((body) => ({ ...post(`/products/${VICTIM_SKU}/restock`, body, 'product'), service: 'inventory' as const })),
    hostileId.map((sku) => ({ ...post(`/products/${segment(sku)}/restock`, { label: 'hostile sku', body: '{"quantity":1,"version":1}' }, 'nothing'), service: 'inventory' as const })),
    // Dead letters.
    brokenQuery([['limit', '5']], [...filterFields, 'cursor']).map((query) => get('/dead-letters', query)),
    hostileId.map((id) => get(`/dead-letters/${segment(id)}`, { label: 'hostile dead-letter id', query: [] })),
    // A bulk replay whose filter matches nothing, when it is valid: the office's state must not move.
    anyBody({ subject: 'fuzz.nothing', limit: 1 }, filterFields).map((body) => post('/dead-letters/replay', body, 'dead-letter')),
    hostileId.map((id) => post(`/dead-letters/${segment(id)}/replay`, { label: 'hostile dead-letter id', body: '{}' }, 'dead-letter')),
    anyBody({ reason: 'fuzz' }, ['reason']).map((body) => post(`/dead-letters/${targets.deadLetterId}/discard`, body, 'dead-letter')),
  ];
  return fc.tuple(fc.oneof(...routes), keyChoice).map(([request, key]) => ({ ...request, key }));
}

/** A copy of `value` with the dotted `path` set to `to` (removed when undefined). */
function setPath(value: Record<string, unknown>, path: string, to: unknown): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  const parts = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  const last = parts.at(-1)!;
  if (to === undefined) delete node[last];
  else node[last] = to;
  return copy;
}
