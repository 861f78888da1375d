import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, Streams } from '#contracts';
import { JetStreamDefaults, provisionConsumers, provisionStreams } from '#jetstream';
import { metricValue } from '#metrics';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/events.js';
import { scrapeMetrics } from './support/metrics.js';
import { startOrdersApi, type TestOrdersApi } from './support/orders-api.js';

/**
 * orders-api's admission control on a real PostgreSQL: past its bounds a
 * write is refused at once with 503, Retry-After and Retry-After-Ms, and
 * leaves nothing behind; the same request succeeds once there is room.
 * The requests in flight are held by a table lock, and the refusal is sent
 * only once PostgreSQL shows them waiting on it: no timing stands in for
 * "in flight".
 */
const MAX_IN_FLIGHT = 2;
const MAX_OUTBOX_BACKLOG = 50;
const MAX_PIPELINE_LAG = 20;

describe('admission control (orders-api writes)', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let ordersApi: TestOrdersApi;
  const api = () => ordersApi.as();
  const order = (customerId: string) => ({ customerId, currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 500 }] });
  const place = (customerId: string, key: string) => api().post('/api/v1/orders').set('Idempotency-Key', key).send(order(customerId));
  /** Places orders until one is refused: the load figures are refreshed in the background (never on a request's time), so within a second or two. */
  const firstRefusal = async (customerId: string, what: string): Promise<request.Response> => {
    let answer: request.Response | undefined;
    await eventually(async () => (answer = await place(customerId, uuidv7())).status === 503, 10_000, what);
    return answer!;
  };
  const ordersOf = async (customerId: string) =>
    (await db.sql.$queryRawUnsafe<unknown[]>('SELECT 1 FROM orders.orders WHERE customer_id = $1', customerId)).length;

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'admission' }));
    ordersApi = await startOrdersApi(nats, db.url, {
      // The outbox must not drain by itself: the backlog is the test's to set.
      OUTBOX_RELAY_ENABLED: 'false',
      ORDERS_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      ORDERS_ADMIT_MAX_OUTBOX_BACKLOG: String(MAX_OUTBOX_BACKLOG),
      ORDERS_ADMIT_MAX_PIPELINE_LAG: String(MAX_PIPELINE_LAG),
    });
  });

  afterAll(async () => {
    await ordersApi?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  it('refuses a write past the in-flight bound at once, writes nothing for it, and takes it on retry', async () => {
    const shedBefore = metricValue(await scrapeMetrics(ordersApi.app), 'http_requests_shed_total', { reason: 'in_flight' });
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    const { rows } = await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE orders.orders IN ACCESS EXCLUSIVE MODE');
    let held: Array<Promise<request.Response>> = [];
    try {
      held = [place('held-1', uuidv7()).then((r) => r), place('held-2', uuidv7()).then((r) => r)];
      await eventually(
        async () => (await db.sql.$queryRawUnsafe<unknown[]>('SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))', rows[0]!.pid)).length === MAX_IN_FLIGHT,
        15_000,
        'both writes waiting on the table lock',
      );

      const key = uuidv7();
      const refused = await place('refused', key);

      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers['retry-after-ms']).toBe('250');
      expect(refused.body).toMatchObject({ statusCode: 503, reason: 'in_flight' });
      expect(refused.body.message).toContain(`${MAX_IN_FLIGHT} write requests in progress (limit ${MAX_IN_FLIGHT})`);

      await locker.query('COMMIT');
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([201, 201]);
      expect(await ordersOf('refused')).toBe(0);
      // Room again: the same request, same key, is taken.
      expect((await place('refused', key)).status).toBe(201);
      expect(await ordersOf('refused')).toBe(1);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      await Promise.allSettled(held);
    }
    expect(metricValue(await scrapeMetrics(ordersApi.app), 'http_requests_shed_total', { reason: 'in_flight' })).toBe(shedBefore + 1);
  });

  it('refuses writes while the outbox backlog is past its bound, and takes them again once it drains', async () => {
    await db.sql.$executeRawUnsafe(
      `INSERT INTO orders.outbox_events (id, subject, type, aggregate_id, envelope)
       SELECT gen_random_uuid(), 'orders.created', 'orders.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, $1::int)`,
      MAX_OUTBOX_BACKLOG + 1,
    );
    const refused = await firstRefusal('backlogged', 'a 503 for the outbox backlog');
    expect(refused.headers['retry-after-ms']).toBe('2000');
    expect(refused.body).toMatchObject({ reason: 'outbox_backlog' });
    expect(refused.body.message).toMatch(/events wait to be published \(limit 50\)/);

    await db.sql.$executeRawUnsafe('UPDATE orders.outbox_events SET published_at = now() WHERE published_at IS NULL');
    await eventually(async () => (await place('drained', uuidv7())).status === 201, 10_000, 'writes taken again');
  });

  it('refuses writes while the consumers downstream are behind, and takes them again once they catch up', async () => {
    // orders-api's payments consumer, with nobody consuming: every message published waits in it.
    const nc: NatsConnection = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      await provisionStreams(jsm);
      await provisionConsumers(jsm, [Consumers.ordersOnPayments], JetStreamDefaults);
      const js = jetstream(nc);
      for (let i = 0; i <= MAX_PIPELINE_LAG; i++) await js.publish('payments.initiated', '{}');

      const refused = await firstRefusal('lagging', 'a 503 for the pipeline lag');
      expect(refused.body).toMatchObject({ reason: 'pipeline_lag' });
      expect(refused.body.message).toContain(`${MAX_PIPELINE_LAG + 1} messages wait in the pipeline's consumers (limit ${MAX_PIPELINE_LAG})`);

      await jsm.streams.purge(Streams.PAYMENTS.name);
      await eventually(async () => (await place('caught-up', uuidv7())).status === 201, 10_000, 'writes taken again');
    } finally {
      await nc.close();
    }
  });
});
