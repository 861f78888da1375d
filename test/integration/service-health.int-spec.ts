import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, consumersOf } from '#contracts';
import { JetStreamDefaults, provisionConsumers } from '#jetstream';
import { startNatsServer, startPostgres, startTogether, type NatsServer, type PostgresServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/events.js';
import { startServiceApp } from './support/service-app.js';

const BACKLOG_READY_MAX = 3;

/**
 * Readiness and liveness of a real service (payments) while its real
 * dependencies go away and come back. Readiness is polled until it changes:
 * no assertion depends on how fast it does.
 */
describe('service health (payments, real NATS and PostgreSQL)', () => {
  let nats: NatsServer;
  let postgres: PostgresServer;
  let db: TestDatabase;
  let app: INestApplication;
  let nc: NatsConnection;

  beforeAll(async () => {
    [nats, postgres] = await startTogether(startNatsServer(), startPostgres());
    db = await startTestDatabase({ label: 'health', server: postgres });
    app = await startServiceApp({
      service: 'payments',
      nats,
      databaseUrl: db.url,
      env: {
        PAYMENT_LATENCY_MS: '0',
        // Rows written by the test stay unpublished, so the backlog is the test's to set.
        OUTBOX_RELAY_ENABLED: 'false',
        OUTBOX_BACKLOG_READY_MAX: String(BACKLOG_READY_MAX),
        METRICS_LOG_INTERVAL_MS: '0',
      },
      logger: false,
    });
    nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await db?.stop();
    await Promise.all([nats?.stop(), postgres?.stop()]);
  });

  const get = (path: string) => request(app.getHttpServer()).get(path);
  const readinessBecomes = (status: number, what: string) =>
    eventually(async () => (await get('/health')).status === status, 30_000, `readiness ${status} (${what})`);

  it('is ready with every check up, at /health and /health/ready', async () => {
    const { status, body } = await get('/health');
    expect(status).toBe(200);
    expect(Object.keys(body.info)).toEqual(['database', 'nats', 'consumers', 'outbox']);
    expect(body.info.consumers.durables).toEqual(consumersOf('payments').map((c) => c.durable));
    expect(body.info.outbox).toMatchObject({ unpublished: 0, max: BACKLOG_READY_MAX });
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get('/health/live')).status).toBe(200);
  });

  it('is not ready while NATS is down, and ready again when it is back', async () => {
    await nats.kill();
    await readinessBecomes(503, 'NATS down');
    const { body } = await get('/health');
    expect(body.error.nats.status).toBe('down');
    expect((await get('/health/live')).status).toBe(200);

    await nats.restart();
    await readinessBecomes(200, 'NATS back');
  });

  // Only the embedded server can be stopped; one named by DATABASE_URL is not ours.
  const itOwnPostgres = process.env['DATABASE_URL'] ? it.skip : it;
  itOwnPostgres('is not ready while PostgreSQL is down, and ready again when it is back', async () => {
    // restart() resolves once PostgreSQL accepts connections again; readiness
    // must have gone down during its downtime, and must come back after it.
    const restarting = postgres.restart({ downtimeMs: 20_000 });
    await eventually(
      async () => {
        const response = await get('/health');
        return response.status === 503 && response.body.error?.database?.status === 'down';
      },
      20_000,
      'readiness 503 (PostgreSQL down)',
    );
    expect((await get('/health/live')).status).toBe(200);
    await restarting;
    await readinessBecomes(200, 'PostgreSQL back');
  });

  it('is not ready while the outbox backlog is above OUTBOX_BACKLOG_READY_MAX', async () => {
    const ids = Array.from({ length: BACKLOG_READY_MAX + 1 }, () => uuidv7());
    await db.prisma.paymentsOutboxEvent.createMany({
      data: ids.map((id) => ({ id, subject: 'payments.test', type: 'payments.test', aggregateId: uuidv7(), envelope: {} })),
    });
    await readinessBecomes(503, 'backlog above the maximum');
    expect((await get('/health')).body.error.outbox).toMatchObject({ status: 'down', unpublished: BACKLOG_READY_MAX + 1 });

    await db.prisma.paymentsOutboxEvent.updateMany({ where: { id: { in: ids } }, data: { publishedAt: new Date() } });
    await readinessBecomes(200, 'backlog published');
  });

  it('is not ready while one of its durable consumers is missing', async () => {
    const consumer = Consumers.paymentsOnInventoryReserved;
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(consumer.stream, consumer.durable);
    await readinessBecomes(503, 'consumer deleted');
    expect((await get('/health')).body.error.consumers.status).toBe('down');

    await provisionConsumers(jsm, [consumer], { ...JetStreamDefaults });
    await readinessBecomes(200, 'consumer provisioned again');
  });
});
