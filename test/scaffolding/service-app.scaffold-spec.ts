import { describe, it, test, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  createDatabase,
  findFreePort,
  generatePipelineApiKeys,
  spawnService,
  startNatsServer,
  startPostgres,
  startTogether,
  type NatsServer,
  type PostgresServer,
  type ServiceHandle,
} from '#local-infra';
import { changedFiles, copyRepository, run, snapshot, type ScratchRepo } from './support/scratch-repo.js';
import { runInTerminal } from './support/terminal.js';

/**
 * One command adds a service that builds, passes its generated tests and
 * processes a real event end to end. On a scratch copy of the repository:
 * `nest generate service-app` through the real nest CLI (in a terminal, the
 * only way it takes --consumes and --emits), then the build, the generated
 * unit and integration tests, the migration on a fresh database with no drift
 * from schema.prisma, the built service as a process against a real NATS
 * server and PostgreSQL, and the deployment checks of test/deploy. It is
 * generated with a public REST API (--http, answered at the prompt): its read
 * route answers in the generated integration test and from the running
 * process, and the build puts it in the edge's one OpenAPI document.
 */

// Given in camelCase on purpose: the CLI and the schematic make it kebab-case.
const typedName = 'loyaltyPoints';
const service = 'loyalty-points';
const schema = 'loyalty_points';
const stream = 'LOYALTY_POINTS';
const consumes = 'payments.succeeded,orders.cancelled';
const emits = 'loyalty-points.granted,loyalty-points.revoked';
const prompts = {
  'Which event subjects does it consume': consumes,
  'Which event types does it emit': emits,
  'Does it serve a public REST API': 'y',
};
const route = '/api/v1/loyalty-points';
// -p names the new project: without it, nest asks which existing project to generate into.
const nestGenerate = `node_modules/.bin/nest generate service-app ${typedName} -p ${service}`;

describe('nest generate service-app', () => {
  let repo: ScratchRepo;
  let nats: NatsServer;
  let postgres: PostgresServer;
  let databaseUrl: string;
  let nc: NatsConnection | undefined;
  let running: ServiceHandle | undefined;

  beforeAll(async () => {
    repo = copyRepository();
    [nats, postgres] = await startTogether(startNatsServer(), startPostgres());
  });

  afterAll(async () => {
    await running?.stop();
    await nc?.close();
    await Promise.all([nats?.stop(), postgres?.stop()]);
    // SCAFFOLD_KEEP=1 keeps the copy (with the generated service) for a look after a failure.
    if (process.env['SCAFFOLD_KEEP']) console.log(`scratch copy kept: ${repo?.dir}`);
    else repo?.remove();
  });

  const inRepo = (...segments: string[]) => path.join(repo.dir, ...segments);
  const npm = (args: string[], env?: Record<string, string>) => run('npm', args, { cwd: repo.dir, env });

  it('lists service-app next to Nest’s own schematics, which still work', async () => {
    const help = await run('node_modules/.bin/nest', ['generate', '--help'], { cwd: repo.dir });
    expect(help.output).toMatch(/service-app\s*│\s*svc\s*│\s*Add a JetStream service/);
    const before = snapshot(repo.dir);
    const controller = await run('node_modules/.bin/nest', ['generate', 'controller', 'probe', '-p', 'payments', '--dry-run'], {
      cwd: repo.dir,
    });
    expect(controller.output).toContain('CREATE apps/payments/src/probe/probe.controller.ts');
    expect(changedFiles(before, snapshot(repo.dir))).toEqual([]);
  });

  it('writes nothing with --dry-run', async () => {
    const before = snapshot(repo.dir);
    const result = await runInTerminal(`${nestGenerate} --dry-run`, { cwd: repo.dir, answers: prompts });
    expect(result.output).toContain(`CREATE apps/${service}/src/main.ts`);
    expect(result.output).toContain('UPDATE libs/contracts/src/consumers.ts');
    expect(result.output).toContain('Dry run enabled. No files written to disk.');
    expect(changedFiles(before, snapshot(repo.dir))).toEqual([]);
  });

  it('generates the service through the real nest CLI', async () => {
    const result = await runInTerminal(nestGenerate, { cwd: repo.dir, answers: prompts });
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).not.toMatch(/error/i);
    for (const file of [
      `apps/${service}/src/main.ts`,
      `apps/${service}/src/${service}.module.ts`,
      `apps/${service}/src/${service}-rows.ts`,
      `apps/${service}/src/update-loyalty-point/payment-succeeded.handler.ts`,
      `apps/${service}/src/update-loyalty-point/order-cancelled.handler.ts`,
      `apps/${service}/src/update-loyalty-point/update-loyalty-point.service.spec.ts`,
      `libs/contracts/src/events/${service}.ts`,
      `test/integration/${service}-service.int-spec.ts`,
      `apps/${service}/src/public-api.ts`,
      `apps/${service}/src/configure-http.ts`,
      `apps/${service}/src/loyalty-points-api/loyalty-points.controller.ts`,
    ]) {
      expect({ file, exists: existsSync(inRepo(file)) }).toEqual({ file, exists: true });
    }
    const nestCli = JSON.parse(readFileSync(inRepo('nest-cli.json'), 'utf8')) as { projects: Record<string, { root: string }> };
    expect(nestCli.projects[service]?.root).toBe(`apps/${service}`);
    expect(readFileSync(inRepo('libs/contracts/src/consumers.ts'), 'utf8')).toContain(`durable: '${service}--payments-succeeded'`);
    expect(readFileSync(inRepo('prisma/schema.prisma'), 'utf8')).toMatch(new RegExp(`schemas\\s*=\\s*\\[[^\\]]*"${schema}"\\]`));
    expect(readFileSync(inRepo('apps/orders-api/src/public-edge.ts'), 'utf8')).toContain(`pathPrefix: '${route}', target: env.LOYALTY_POINTS_URL`);
  });

  it('refuses a second run for the same name with a clear message, and changes nothing', async () => {
    const before = snapshot(repo.dir);
    // Through nest (which prints the error but exits 0) ...
    const again = await runInTerminal(nestGenerate, { cwd: repo.dir, answers: prompts });
    expect(again.output).toContain(`A service named "${service}" already exists`);
    expect(again.output).toContain('service-app changed nothing');
    // ... and through the flag-driven script, which exits non-zero.
    const script = await npm(['run', '--silent', 'generate:service-app', '--', typedName, '--consumes', consumes, '--emits', emits, '--http']);
    expect(script.code).not.toBe(0);
    expect(script.output).toContain(`A service named "${service}" already exists`);
    expect(changedFiles(before, snapshot(repo.dir))).toEqual([]);
  });

  it('builds', async () => {
    const build = await npm(['run', 'build']);
    expect(build).toMatchObject({ code: 0 });
    expect(existsSync(inRepo(`dist/apps/${service}/src/main.js`))).toBe(true);
    // The build's one document of the public API has the new routes, answered by the new service behind the edge.
    const document = JSON.parse(readFileSync(inRepo('dist/openapi/public-api.json'), 'utf8')) as {
      paths: Record<string, Record<string, { 'x-served-by'?: string }>>;
    };
    expect(document.paths[route]?.['get']?.['x-served-by']).toBe(service);
    expect(document.paths[`${route}/{id}`]?.['get']?.['x-served-by']).toBe(service);
  });

  it('passes its generated unit test, and the contract and architecture checks with its contracts', async () => {
    const unit = await npm(['run', '--silent', 'jest', '--', '--config', 'jest.config.js', `apps/${service}`, 'libs/contracts', 'test/architecture']);
    // On failure the diff shows jest's report.
    expect({ code: unit.code, output: unit.code === 0 ? '' : unit.output }).toEqual({ code: 0, output: '' });
    expect(unit.output).toContain('update-loyalty-point.service.spec.ts');
  });

  it('passes its generated integration test on a real NATS server and PostgreSQL', async () => {
    const integration = await npm(['run', '--silent', 'jest', '--', '--config', 'test/integration/jest.config.js', '--verbose', `test/integration/${service}-service.int-spec.ts`]);
    expect(integration).toMatchObject({ code: 0 });
    expect(integration.output).toContain(`serves its loyalty-points at ${route}`);
  });

  it('migrates a fresh database, and its migration matches schema.prisma', async () => {
    databaseUrl = await createDatabase(postgres.url, 'scaffolded');
    const migrate = await npm(['run', 'db:migrate'], { DATABASE_URL: databaseUrl });
    expect(migrate).toMatchObject({ code: 0 });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows: migrations } = await client.query<{ migration_name: string }>(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      expect(migrations.map((row) => row.migration_name)).toContainEqual(expect.stringMatching(new RegExp(`_${schema}_service$`)));
      const { rows: tables } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(tables.map((row) => row.table_name)).toEqual(['inbox_events', schema, 'outbox_events'].sort());
    } finally {
      await client.end();
    }
    const drift = await npm(['run', 'db:migrations:check'], { DATABASE_URL: databaseUrl });
    expect(drift).toMatchObject({ code: 0 });
    expect(drift.output).toContain('No difference detected');
  });

  it('runs as a process: consumes a published event, publishes its own through the outbox, and serves it at its route', async () => {
    const port = await findFreePort();
    const { keys, env: apiKeys } = generatePipelineApiKeys();
    running = spawnService({
      name: service,
      command: process.execPath,
      args: [`dist/apps/${service}/src/main.js`],
      cwd: repo.dir,
      env: { NATS_URL: nats.url, DATABASE_URL: databaseUrl, PORT: String(port), OUTBOX_POLL_INTERVAL_MS: '100', API_KEYS: apiKeys },
      readyUrl: `http://127.0.0.1:${port}/health`,
    });
    await running.waitReady(60_000);

    nc = await connect({ servers: nats.url });
    const jsm: JetStreamManager = await jetstreamManager(nc);
    const orderId = uuidv7();
    const id = uuidv7();
    // A valid payments.succeeded envelope, as the payments service's outbox would write it.
    const envelope = {
      id,
      type: 'payments.succeeded',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      aggregateId: uuidv7(),
      correlationId: id,
      causationId: id,
      payload: { paymentId: uuidv7(), orderId, amountCents: 1999, gatewayReference: 'ch_scaffold' },
    };
    await jetstream(nc).publish('payments.succeeded', JSON.stringify(envelope), { msgID: id });

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const deadline = Date.now() + 30_000;
      let published: { id: string; envelope: { aggregateId: string } } | undefined;
      while (!published && Date.now() < deadline) {
        const { rows } = await client.query<{ id: string; envelope: { aggregateId: string } }>(
          `SELECT id::text, envelope FROM "${schema}".outbox_events WHERE published_at IS NOT NULL AND envelope->'payload'->>'orderId' = $1`,
          [orderId],
        );
        published = rows[0];
        if (!published) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // On failure the diff shows the service's output.
      expect({ published: published !== undefined, output: published ? '' : running.output() }).toMatchObject({ published: true });
      const { rows: inbox } = await client.query(`SELECT consumer FROM "${schema}".inbox_events WHERE event_id = $1`, [id]);
      expect(inbox).toEqual([{ consumer: `${service}--payments-succeeded` }]);

      // The relay put it on the service's own stream, with the outbox id as Nats-Msg-Id.
      const message = await jsm.streams.getMessage(stream, { last_by_subj: 'loyalty-points.granted' });
      expect(message?.header?.get('Nats-Msg-Id')).toBe(published!.id);
      expect(message?.json()).toMatchObject({
        id: published!.id,
        type: 'loyalty-points.granted',
        causationId: id,
        correlationId: id,
        payload: { orderId, loyaltyPointId: published!.envelope.aggregateId },
      });

      // Its public read route, behind the API keys, shows the aggregate the event opened.
      const api = (url: string, key?: string) => fetch(`http://127.0.0.1:${port}${url}`, { headers: key ? { 'x-api-key': key } : {} });
      const one = await api(`${route}/${published!.envelope.aggregateId}`, keys.reader);
      expect({ status: one.status, body: await one.json() }).toMatchObject({
        status: 200,
        body: { id: published!.envelope.aggregateId, orderId, lastEventType: 'payments.succeeded', version: 1 },
      });
      const page = await api(`${route}?limit=500`, keys.reader);
      expect(((await page.json()) as { items: { orderId: string }[] }).items.map((item) => item.orderId)).toContain(orderId);
      expect((await api(`${route}/${published!.envelope.aggregateId}`)).status).toBe(401);
    } finally {
      await client.end();
    }

    await running.stop();
    expect(running.running).toBe(false);
  });

  it('keeps the deployment checks passing with the service in compose and the Helm chart', async () => {
    const report = inRepo('deploy-report.json');
    await npm(['run', '--silent', 'jest', '--', '--config', 'test/deploy/jest.config.js', '--json', `--outputFile=${report}`]);
    const results = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      testResults: { assertionResults: { title: string; fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const tests = results.testResults.flatMap((file) => file.assertionResults);
    // The per-service checks ran for the new service too (the schematic registered it).
    expect(tests.filter((test) => test.fullName.includes(service) && test.status === 'passed').length).toBeGreaterThan(10);
    const failed = tests.filter((test) => test.status === 'failed');
    expect(failed.map((test) => `${test.fullName}\n${test.failureMessages.join('\n')}`)).toEqual([]);
  });
});
