import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers, DeadLetterConsumers, OutboxBacklogReports } from '#contracts';
import { PIPELINE_SERVICES, startPipeline, type Pipeline } from '#local-infra';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { orderRequest, placeOrder, waitUntilTerminal } from './support/orders.js';

/** Sampled faster than the default so that the test sees rates move within seconds. */
const SAMPLE_INTERVAL_MS = 500;
const RATE_WINDOW_MS = 8_000;

interface Operations {
  at: string;
  consumers: Array<{ stream: string; name: string; service: string; filterSubject: string; found: boolean; pending: number | null; ackPending: number | null; redelivered: number | null; waiting: number | null; lastActiveAt: string | null }>;
  stages: Array<{ name: string; subject: string; stream: string; perSecond: number; total: number; windowSeconds: number }>;
  outbox: Array<{ service: string; instances: number; backlog: number | null; oldestAgeSeconds: number | null; reportedAt: string | null }>;
  deadLetters: { open: number };
}

/**
 * GET /api/v1/operations on the built services, real NATS JetStream and
 * PostgreSQL: the figures it serves move with what the pipeline does.
 * Orders placed raise their stages' rates; a stopped service's consumer
 * fills up, its instance drops out of the outbox reports, and both recover
 * once it is back; every service reports its outbox; only operators may look.
 */
describe('operations API (built services, real NATS JetStream and PostgreSQL)', () => {
  const customer = `e2e-ops-${randomBytes(4).toString('hex')}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let placed = 0;

  const operations = async (): Promise<Operations> => {
    const response = await api.get<Operations>('/operations');
    expect(response.status).toBe(200);
    return response.body;
  };
  const stage = (view: Operations, name: string) => view.stages.find((s) => s.name === name)!;
  const consumer = (view: Operations, durable: string) => view.consumers.find((c) => c.name === durable)!;
  const placeOrders = async (count: number) =>
    Promise.all(Array.from({ length: count }, () => placeOrder(api, orderRequest(customer, placed++))));

  beforeAll(async () => {
    pipeline = await startPipeline({
      paymentSuccessRate: 1,
      paymentLatencyMs: 5,
      env: {
        'orders-api': {
          OPERATIONS_SAMPLE_INTERVAL_MS: String(SAMPLE_INTERVAL_MS),
          OPERATIONS_RATE_WINDOW_MS: String(RATE_WINDOW_MS),
          OPERATIONS_CACHE_MS: '250',
        },
      },
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('answers 401 without a key and 403 without the operator scope', async () => {
    const anonymous = await fetch(`${pipeline.apiUrl}/api/v1/operations`);
    expect(anonymous.status).toBe(401);
    for (const key of [pipeline.apiKeys.reader, pipeline.apiKeys.storefront]) {
      const refused = await apiClient({ url: pipeline.apiUrl, key }).get('/operations');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('lacks the scope operator');
    }
  });

  it('lists every declared durable consumer, and every service’s outbox as its instances report it', async () => {
    const view = await eventually('every service to report its outbox backlog', async () => {
      const view = await operations();
      return view.outbox.every((o) => o.instances > 0) ? view : undefined;
    });
    expect(Date.now() - Date.parse(view.at)).toBeLessThan(5_000);
    const declared = [...Object.values(Consumers), ...Object.values(DeadLetterConsumers)];
    expect(view.consumers.map((c) => c.name).sort()).toEqual(declared.map((c) => c.durable).sort());
    for (const c of view.consumers) {
      const definition = declared.find((d) => d.durable === c.name)!;
      expect(c).toMatchObject({ stream: definition.stream, service: definition.service, filterSubject: definition.filterSubject, found: true });
      expect([c.pending, c.ackPending, c.redelivered, c.waiting].every((n) => Number.isInteger(n) && n! >= 0)).toBe(true);
    }
    expect(view.outbox.map((o) => o.service).sort()).toEqual([...PIPELINE_SERVICES].sort());
    for (const o of view.outbox) {
      expect(o).toMatchObject({ instances: 1, backlog: expect.any(Number) });
      expect(Date.now() - Date.parse(o.reportedAt!)).toBeLessThan(OutboxBacklogReports.maxAgeMs);
    }
    expect(view.deadLetters).toEqual({ open: 0 });
  });

  it('raises the stages’ rates while orders go through, and counts each event once', async () => {
    const before = await operations();
    expect(stage(before, 'created')).toMatchObject({ subject: 'orders.created', stream: 'ORDERS', perSecond: 0, total: 0 });
    const orders = await placeOrders(20);
    await waitUntilTerminal(api, orders.map((o) => o.id));
    const after = await eventually('the stages to show the orders', async () => {
      const view = await operations();
      return ['created', 'reserved', 'paid', 'prepared', 'shipped'].every((name) => stage(view, name).total === 20) ? view : undefined;
    });
    for (const name of ['created', 'reserved', 'charging', 'paid', 'prepared', 'shipped']) {
      // 20 events within the window: at least 20 over its whole length.
      expect(stage(after, name).perSecond).toBeGreaterThanOrEqual(20 / (RATE_WINDOW_MS / 1_000) - 0.01);
    }
    expect(stage(after, 'created').windowSeconds).toBeGreaterThan(0);
    expect(stage(after, 'rejected')).toMatchObject({ perSecond: 0, total: 0 });
    // Once the window has slid past them, the rate falls back to nothing.
    await eventually('the rates to fall back after the window', async () => {
      const view = await operations();
      return stage(view, 'created').perSecond === 0 ? true : undefined;
    }, { timeoutMs: RATE_WINDOW_MS * 3 });
  });

  it('shows a stopped service’s consumer filling up and its instance gone, then both recovering after its restart', async () => {
    const durable = Consumers.shipmentsOnPaymentSucceeded.durable;
    await pipeline.services.shipments.stop();
    const orders = await placeOrders(10);
    const stalled = await eventually(`${durable} to hold the 10 paid orders, and the paid stage to count them`, async () => {
      const view = await operations();
      // The consumer is read live, the stage counts every SAMPLE_INTERVAL_MS:
      // wait for both, or the rate can be read from a sample taken before the
      // payments happened.
      return consumer(view, durable).pending === 10 && stage(view, 'paid').total === 30 ? view : undefined;
    });
    // Nobody pulls: no pull request waits on it.
    expect(consumer(stalled, durable)).toMatchObject({ found: true, ackPending: 0, waiting: 0 });
    expect(stage(stalled, 'paid').perSecond).toBeGreaterThan(0);
    await eventually('the stopped shipments instance to drop out of the outbox reports', async () => {
      const view = await operations();
      const shipments = view.outbox.find((o) => o.service === 'shipments')!;
      return shipments.instances === 0 ? shipments : undefined;
    }, { timeoutMs: OutboxBacklogReports.maxAgeMs + 10_000 }).then((shipments) =>
      expect(shipments).toEqual({ service: 'shipments', instances: 0, backlog: null, oldestAgeSeconds: null, reportedAt: null }),
    );

    await pipeline.services.shipments.restart();
    await waitUntilTerminal(api, orders.map((o) => o.id));
    const recovered = await eventually(`${durable} to drain and shipments to report again`, async () => {
      const view = await operations();
      const c = consumer(view, durable);
      const shipments = view.outbox.find((o) => o.service === 'shipments')!;
      // The stage totals are sampled every SAMPLE_INTERVAL_MS, so they may trail the orders' states by one sample.
      return c.pending === 0 && c.ackPending === 0 && shipments.instances === 1 && stage(view, 'shipped').total === 30 ? view : undefined;
    });
    expect(consumer(recovered, durable).waiting).toBeGreaterThan(0);
    expect(Date.parse(consumer(recovered, durable).lastActiveAt!)).toBeGreaterThan(Date.parse(stalled.at));
  });
});
