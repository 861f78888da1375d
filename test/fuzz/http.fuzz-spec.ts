import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { jetstream } from '@nats-io/jetstream';
import { OrderCreated } from '#contracts';
import { eventually } from '../e2e/support/eventually.js';
import { apiClient, type ApiClient } from '../e2e/support/http.js';
import { orderRequest, placeOrder, waitUntilTerminal } from '../e2e/support/orders.js';
import { VICTIM_SKU, hostileRequests, percentEncode, type HostileRequest, type KeyChoice } from './http/hostile-requests.js';
import { checkProperty, fuzzSettings, replayCommand, report } from './support/fuzz-run.js';
import { ALL_HEALTHY, serviceHealth, startFuzzPipeline, type FuzzPipeline } from './support/pipeline.js';

/**
 * Hostile requests on every route of the REST API, one after another against
 * the built orders-api (real NATS JetStream and PostgreSQL). For each: never
 * a 5xx; every 4xx is JSON with its status, a 400 names each bad field with
 * the rule it broke (or is one of the parser's fixed answers), every other
 * refusal says why in a fixed form, and none echoes a large input back; a
 * refused write changed nothing (no order, the aimed-at order and dead letter
 * as they were). Afterwards every service is healthy and a real order still
 * goes through. What is generated: http/hostile-requests.ts.
 */
const FILE = 'http';
const settings = fuzzSettings(2_000);
const HEALTH_EVERY = 50;
/** No 4xx answer needs more than this; a longer one is echoing the input. */
const MAX_REFUSAL_BYTES = 4_096;

const RULES = new Set(['required', 'type', 'min', 'max', 'format', 'enum', 'unknown_field', 'text', 'single', 'depth', 'invalid', 'custom', 'multiple_of']);
/** The answers given before any schema: the body parser's and the access guard's. */
const FIXED_MESSAGES: Record<number, RegExp> = {
  400: /^(Validation failed|The body is not valid JSON\.|The body is nested deeper than 32 levels\.|The body could not be read\.)$/,
  401: /^(An API key is required: send it in the X-API-Key header\.|The API key is not valid\.)$/,
  403: /^The API key "local-reader" lacks the scope [a-z:, ]+\.$/,
  // Unknown ids (and SKUs, which validation has held to their alphabet); and paths no route has (an id of "..", say), in Nest's words.
  404: /^((order|dead letter) [0-9a-fA-F-]{36} not found|product [A-Za-z0-9_-]{1,64} not found|Cannot (GET|POST) \/\S*)$/,
  413: /^The body is larger than this API accepts\.$/,
  415: /^The body must be JSON, sent with Content-Type: application\/json\.$/,
};
const ALLOWED_STATUSES = new Set([200, 201, 202, 400, 401, 403, 404, 409, 413, 415]);

interface Answer {
  status: number;
  text: string;
}

describe('fuzz: hostile requests on every route (built orders-api, real NATS JetStream and PostgreSQL)', () => {
  let fuzz: FuzzPipeline;
  let api: ApiClient;
  let victimOrderId: string;
  let deadLetterId: string;
  const labels = new Map<string, number>();
  const statuses = new Map<number, number>();

  const keyFor = (choice: KeyChoice): string | undefined =>
    ({ operator: fuzz.pipeline.apiKeys.operator, reader: fuzz.pipeline.apiKeys.reader, none: undefined, bogus: 'bogus-key-of-nobody-0123456789abcdef' })[choice];

  const send = async (request: HostileRequest): Promise<Answer> => {
    const query = request.query.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
    const key = keyFor(request.key);
    const base = request.service ? fuzz.pipeline.serviceUrls[request.service] : fuzz.pipeline.apiUrl;
    const response = await fetch(`${base}/api/v1${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers: { ...request.headers, ...(key ? { 'x-api-key': key } : {}) },
      body: request.body,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, text: await response.text() };
  };

  /** What a refused request must have left alone. */
  const guardedState = async (request: HostileRequest): Promise<unknown> => {
    switch (request.guards) {
      case 'orders':
        return fuzz.tables.query('SELECT count(*)::int AS orders FROM orders.orders');
      case 'victim-order':
        return fuzz.tables.query('SELECT state::text, version FROM orders.orders WHERE id = $1', [victimOrderId]);
      case 'dead-letter':
        // The aimed-at row only: a valid replay elsewhere may add dead letters later, on its own time.
        return fuzz.tables.query('SELECT status::text, version FROM dead_letters.dead_letter_events WHERE id = $1', [deadLetterId]);
      case 'product':
        return fuzz.tables.query('SELECT on_hand, reserved, version FROM inventory.products WHERE sku = $1', [VICTIM_SKU]);
      case 'nothing':
        return null;
    }
  };

  beforeAll(async () => {
    fuzz = await startFuzzPipeline(FILE);
    api = apiClient(fuzz.pipeline.api);
    const victim = await placeOrder(api, orderRequest(`fuzz-http-${settings.seed}`, 1));
    victimOrderId = (await waitUntilTerminal(api, [victim.id]))[0]!.id;
    // One dead letter to aim at: a body payments cannot read, dead-lettered `invalid`.
    await jetstream(fuzz.nats).publish(OrderCreated.subject, 'not an event', { msgID: `fuzz-http-poison-${settings.seed}` });
    deadLetterId = await eventually(
      'the poison message to become a dead letter',
      async () => (await api.get<{ items: Array<{ id: string }> }>('/dead-letters?reason=invalid')).body.items[0]?.id,
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    let index = 0;
    const property = fc.asyncProperty(hostileRequests({ victimOrderId, deadLetterId }), async (request) => {
      const at = index++;
      labels.set(request.label, (labels.get(request.label) ?? 0) + 1);
      const before = await guardedState(request);
      const answer = await send(request);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expectWellFormedAnswer(request, answer);
      if (answer.status >= 400) expect({ case: at, state: await guardedState(request) }).toEqual({ case: at, state: before });
      if (at % HEALTH_EVERY === 0) expect({ case: at, health: await serviceHealth(fuzz.pipeline) }).toEqual({ case: at, health: ALL_HEALTHY });
    });
    await checkProperty(FILE, property, settings);
    report(`${FILE}: generated ${[...labels].map(([label, n]) => `${n} × ${label}`).join('; ')}`);
    report(`${FILE}: answers ${[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${n} × ${status}`).join(', ')}`);
  });

  afterAll(async () => {
    await fuzz?.stop();
  });

  it(`sent at least 1,000 requests (seed ${settings.seed})`, () => {
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(Math.min(1_000, settings.runs));
    // The generators reach validation and the parser, not only the access guard.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(settings.runs / 3);
  });

  it('left every service healthy, and a real order still goes through', async () => {
    expect(await serviceHealth(fuzz.pipeline)).toEqual(ALL_HEALTHY);
    const order = await placeOrder(api, orderRequest(`fuzz-http-after-${settings.seed}`, 2));
    const [finished] = await waitUntilTerminal(api, [order.id]);
    expect(['SHIPPED', 'FAILED']).toContain(finished!.state);
  });

  function expectWellFormedAnswer(request: HostileRequest, answer: Answer): void {
    const context = { request: describe_(request), status: answer.status, answer: answer.text.slice(0, 500), replay: replayCommand(FILE, settings.seed, { runs: settings.runs }) };
    if (!ALLOWED_STATUSES.has(answer.status)) throw new Error(`unexpected status: ${JSON.stringify(context)}`);
    if (answer.status < 400) return;
    if (answer.text.length > MAX_REFUSAL_BYTES) throw new Error(`a ${answer.status} of ${answer.text.length} bytes echoes its input: ${JSON.stringify(context)}`);
    const body = JSON.parse(answer.text) as { statusCode: number; message: string; errors?: Array<{ field: string; rule: string; reason: string }> };
    const problems: string[] = [];
    if (body.statusCode !== answer.status) problems.push('statusCode differs from the status');
    if (answer.status === 409) {
      if (typeof body.message !== 'string' || body.message.length === 0) problems.push('a 409 without a reason');
    } else if (!FIXED_MESSAGES[answer.status]?.test(body.message)) {
      problems.push(`message is not one of the fixed reasons: ${JSON.stringify(body.message)}`);
    }
    if (body.message === 'Validation failed') {
      if (!Array.isArray(body.errors) || body.errors.length === 0) problems.push('Validation failed without errors');
      for (const error of body.errors ?? []) {
        if (typeof error.field !== 'string' || error.field.length === 0 || error.field.length > 101) problems.push(`bad field ${JSON.stringify(error.field)}`);
        if (!RULES.has(error.rule)) problems.push(`unknown rule ${JSON.stringify(error.rule)}`);
        if (!error.reason?.startsWith(`${error.field} `)) problems.push(`reason does not name the field: ${JSON.stringify(error)}`);
      }
    }
    if (problems.length > 0) throw new Error(`${problems.join('; ')}: ${JSON.stringify(context)}`);
  }
});

function describe_(request: HostileRequest): string {
  const body = request.body === undefined ? '' : ` body ${JSON.stringify(request.body.slice(0, 200))}${request.body.length > 200 ? `… (${request.body.length} chars)` : ''}`;
  return `${request.label}: ${request.method} ${request.path.slice(0, 200)} query ${JSON.stringify(request.query).slice(0, 200)} key ${request.key} headers ${JSON.stringify(request.headers).slice(0, 200)}${body}`;
}
