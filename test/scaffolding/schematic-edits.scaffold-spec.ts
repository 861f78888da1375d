import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HostTree } from '@angular-devkit/schematics';
import { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing';
import { parse } from 'yaml';
import { repoRoot, run } from './support/scratch-repo.js';

/**
 * The service-app schematic on an in-memory copy of the files it reads and
 * edits (the repository's working tree is only read): names, edits, and the
 * refusals that leave everything as it was. Fast; service-app.scaffold-spec.ts
 * proves on a scratch copy that the result builds and runs.
 */
const runner = new SchematicTestRunner('@order-pipeline/schematics', path.join(repoRoot, 'schematics/collection.json'));

const READ_AND_EDITED = [
  'apps/',
  'libs/contracts/src/',
  'prisma/',
  'nest-cli.json',
  'package.json',
  'docker-compose.yml',
  'Dockerfile',
  'deploy/docker/entrypoint.sh',
  'helm/order-pipeline/',
  'test/deploy/support/',
  'test/integration/support/',
  // What --http registers the service with: the edge's document and local-infra's pipeline.
  'tools/openapi/src/',
  'tools/local-infra/src/',
];

function repositoryTree(): UnitTestTree {
  const tree = new UnitTestTree(new HostTree());
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => READ_AND_EDITED.some((prefix) => file === prefix || file.startsWith(prefix)));
  for (const file of files) {
    try {
      tree.create(file, readFileSync(path.join(repoRoot, file)));
    } catch {
      // Listed by git but deleted in the working tree.
    }
  }
  return tree;
}

function contents(tree: UnitTestTree): Map<string, string> {
  return new Map(tree.files.map((file) => [file, tree.readContent(file)]));
}

const refunds = { name: 'refunds', consumes: 'payments.succeeded', emits: 'refunds.issued' };

describe('service-app schematic', () => {
  it('derives every name from a camelCase name, with the strings Nest uses', async () => {
    const tree = await runner.runSchematic(
      'service-app',
      { name: 'loyaltyPoints', consumes: 'payments.succeeded', emits: 'loyalty-points.granted' },
      repositoryTree(),
    );
    expect(tree.readContent('/apps/loyalty-points/src/loyalty-points.module.ts')).toContain(
      "ServiceCoreModule.forRoot({ service: 'loyalty-points', schema: 'loyalty_points', env: loyaltyPointsEnvSchema })",
    );
    expect(tree.readContent('/apps/loyalty-points/src/loyalty-points.module.ts')).toContain('export class LoyaltyPointsModule {}');
    expect(tree.readContent('/libs/contracts/src/streams.ts')).toContain(
      "LOYALTY_POINTS: { name: 'LOYALTY_POINTS', subjects: ['loyalty-points.>'], description: 'Events owned by loyalty-points', service: 'loyalty-points' },",
    );
    expect(tree.readContent('/libs/contracts/src/consumers.ts')).toMatch(
      /loyaltyPointsOnPaymentSucceeded: \{\n\s+durable: 'loyalty-points--payments-succeeded',\n\s+stream: 'PAYMENTS',\n\s+filterSubject: 'payments\.succeeded',\n\s+service: 'loyalty-points',/,
    );
    expect(tree.readContent('/libs/contracts/src/services.ts')).toMatch(/export type ServiceName = .*\| 'loyalty-points';/);
    expect(tree.readContent('/libs/contracts/src/events/loyalty-points.ts')).toContain('export const LoyaltyPointGranted = defineEvent({');
    expect(tree.readContent('/prisma/schema.prisma')).toMatch(/model LoyaltyPoint \{[\s\S]*?version\s+Int\s+@default\(1\)[\s\S]*?@@map\("loyalty_points"\)/);
    expect(tree.readContent('/prisma/schema.prisma')).toContain('model LoyaltyPointsOutboxEvent {');
    expect(tree.exists('/apps/loyalty-points/src/update-loyalty-point/update-loyalty-point.service.ts')).toBe(true);
  });

  it('writes the new files and edits only the files that list services, keeping each valid', async () => {
    const before = repositoryTree();
    const original = contents(before);
    const tree = await runner.runSchematic('service-app', { ...refunds, consumes: 'payments.succeeded,orders.cancelled' }, before);
    const after = contents(tree);
    const created = [...after.keys()].filter((file) => !original.has(file)).sort();
    const changed = [...original.keys()].filter((file) => after.get(file) !== original.get(file)).sort();
    const migration = created.find((file) => file.startsWith('/prisma/migrations/'));
    expect(created).toEqual(
      [
        '/apps/refunds/src/main.ts',
        '/apps/refunds/src/refunds-env.ts',
        '/apps/refunds/src/refunds-rows.ts',
        '/apps/refunds/src/refunds.module.ts',
        '/apps/refunds/src/update-refund/order-cancelled.handler.ts',
        '/apps/refunds/src/update-refund/payment-succeeded.handler.ts',
        '/apps/refunds/src/update-refund/update-refund.service.spec.ts',
        '/apps/refunds/src/update-refund/update-refund.service.ts',
        '/libs/contracts/src/events/refunds.ts',
        migration,
        '/test/integration/refunds-service.int-spec.ts',
        ...(original.has('/test/integration/support/sample-events.ts') ? [] : ['/test/integration/support/sample-events.ts']),
      ].sort(),
    );
    expect(migration).toMatch(/^\/prisma\/migrations\/\d{14}_refunds_service\/migration\.sql$/);
    expect(changed).toEqual(
      [
        '/Dockerfile',
        '/deploy/docker/entrypoint.sh',
        '/docker-compose.yml',
        '/helm/order-pipeline/README.md',
        '/helm/order-pipeline/templates/_helpers.tpl',
        '/helm/order-pipeline/values.schema.json',
        '/helm/order-pipeline/values.yaml',
        '/libs/contracts/src/consumers.ts',
        '/libs/contracts/src/index.ts',
        '/libs/contracts/src/registry.ts',
        '/libs/contracts/src/services.ts',
        '/libs/contracts/src/streams.ts',
        '/nest-cli.json',
        '/package.json',
        '/prisma/schema.prisma',
        '/test/deploy/support/app-env.ts',
      ].sort(),
    );

    const nestCli = JSON.parse(after.get('/nest-cli.json')!) as { projects: Record<string, { type: string; sourceRoot: string }> };
    expect(nestCli.projects['refunds']).toMatchObject({ type: 'application', sourceRoot: 'apps/refunds/src' });
    expect(JSON.parse(after.get('/package.json')!).scripts['start:refunds']).toBe('node dist/apps/refunds/src/main.js');
    // One above the highest port in use (inventory has 3004).
    const compose = parse(after.get('/docker-compose.yml')!, { merge: true }) as {
      services: Record<string, { command: string[]; ports: string[]; environment: Record<string, string> }>;
    };
    expect(compose.services['refunds']).toMatchObject({ command: ['refunds'], ports: ['3005:3005'] });
    // Its own NATS user, with the password the users' generator gets too.
    expect(compose.services['refunds']!.environment).toMatchObject({
      NATS_USER: 'refunds',
      NATS_PASSWORD: '${NATS_PASSWORD_REFUNDS:-refunds-dev-password}',
    });
    expect(compose.services['nats-auth']!.environment['NATS_PASSWORD_REFUNDS']).toBe('${NATS_PASSWORD_REFUNDS:-refunds-dev-password}');
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['nats', 'postgres', 'payments', 'shipments']));
    const values = parse(after.get('/helm/order-pipeline/values.yaml')!) as Record<string, any>;
    expect(values['refunds'].service.port).toBe(3005);
    expect(values['networkPolicy'].ingressFrom.refunds).toEqual([]);
    expect(values['migrations']).toBeDefined();
    expect(JSON.parse(after.get('/helm/order-pipeline/values.schema.json')!).required).toContain('refunds');
    expect(after.get('/helm/order-pipeline/templates/_helpers.tpl')).toContain('refunds:\n  key: refunds\n  port: 3005\n{{- end }}');
    expect(after.get('/deploy/docker/entrypoint.sh')).toContain('orders-api | payments | shipments | analytics | inventory | refunds)');
    expect(after.get('/Dockerfile')).toMatch(/^EXPOSE 3000 3001 3002 3003 3004 3005$/m);
    expect(after.get('/prisma/schema.prisma')).toMatch(/schemas\s*=\s*\[[^\]]*"refunds"\]/);
    expect(after.get('/libs/contracts/src/registry.ts')).toMatch(/import \{ RefundIssued \} from '\.\/events\/refunds\.js';[\s\S]*\n {2}RefundIssued,\n\];/);
    expect(after.get('/libs/contracts/src/index.ts')).toContain("export * from './events/refunds.js';");
  });

  it('makes a consumer-only service without --emits: no stream, no events, nothing emitted', async () => {
    const before = repositoryTree();
    const original = contents(before);
    const tree = await runner.runSchematic('service-app', { name: 'ledger', consumes: 'payments.succeeded' }, before);
    const after = contents(tree);
    const created = [...after.keys()].filter((file) => !original.has(file));
    const changed = [...original.keys()].filter((file) => after.get(file) !== original.get(file));
    expect(created.filter((file) => file.startsWith('/libs/'))).toEqual([]);
    for (const file of ['/libs/contracts/src/streams.ts', '/libs/contracts/src/registry.ts', '/libs/contracts/src/index.ts']) {
      expect(changed).not.toContain(file);
    }
    expect(after.get('/libs/contracts/src/consumers.ts')).toContain("durable: 'ledger--payments-succeeded'");
    expect(after.get('/libs/contracts/src/services.ts')).toMatch(/\| 'ledger';/);
    const useCase = after.get('/apps/ledger/src/update-ledger/update-ledger.service.ts')!;
    expect(useCase).not.toMatch(/newEvent|uow\.emit/);
    expect(after.get('/test/integration/ledger-service.int-spec.ts')).not.toContain('Streams.');
  });

  it('with --http, adds a read route over the aggregate and registers it at the public edge', async () => {
    const before = repositoryTree();
    const original = contents(before);
    const withoutHttp = contents(await runner.runSchematic('service-app', refunds, repositoryTree()));
    const tree = await runner.runSchematic('service-app', { ...refunds, http: true }, before);
    const after = contents(tree);
    // The migration's folder is named by the clock: the two runs may fall in different seconds.
    const sameMigration = (file: string) => file.replace(/^\/prisma\/migrations\/\d{14}_/, '/prisma/migrations/_');
    const filesWithoutHttp = new Set([...withoutHttp.keys()].map(sameMigration));
    const created = [...after.keys()].filter((file) => !filesWithoutHttp.has(sameMigration(file))).sort();
    expect(created).toEqual([
      '/apps/refunds/src/configure-http.ts',
      '/apps/refunds/src/public-api.ts',
      '/apps/refunds/src/refunds-api/refund-requests.ts',
      '/apps/refunds/src/refunds-api/refund-view.dto.ts',
      '/apps/refunds/src/refunds-api/refund-views.ts',
      '/apps/refunds/src/refunds-api/refunds-api.module.ts',
      '/apps/refunds/src/refunds-api/refunds.controller.ts',
    ]);
    const changedOnlyWithHttp = [...original.keys()].filter((file) => after.get(file) !== original.get(file) && withoutHttp.get(file) === original.get(file));
    expect(changedOnlyWithHttp.sort()).toEqual(
      [
        '/apps/orders-api/src/configure-http.ts',
        '/apps/orders-api/src/orders-env.ts',
        '/apps/orders-api/src/public-edge.ts',
        '/helm/order-pipeline/templates/configmap.yaml',
        '/helm/order-pipeline/templates/deployment.yaml',
        '/helm/order-pipeline/templates/networkpolicy.yaml',
        '/tools/local-infra/src/pipeline.ts',
        '/tools/openapi/src/public-api-document.ts',
      ].sort(),
    );

    // The service side: routes, env, access, wiring.
    const controller = after.get('/apps/refunds/src/refunds-api/refunds.controller.ts')!;
    expect(controller).toContain("@Controller('refunds')");
    expect(controller).toMatch(/@RequireScopes\(Scope\.ORDERS_READ\)[\s\S]*@ValidQuery\(listRefundsQuery\)[\s\S]*@RequireScopes\(Scope\.ORDERS_READ\)[\s\S]*@ValidParam\('id', refundId\)/);
    expect(after.get('/apps/refunds/src/refunds-env.ts')).toContain('...httpApiEnvShape,');
    expect(after.get('/apps/refunds/src/refunds.module.ts')).toMatch(/ApiAccessModule\.forRoot\(\{ publicPaths: OPERATIONAL_PATHS \}\),\n {4}RefundsApiModule,/);
    expect(after.get('/apps/refunds/src/main.ts')).toContain(
      "await runService({ name: 'refunds', module: RefundsModule, configureHttp: configureRefundsHttp, httpOptions: API_HTTP_APP_OPTIONS });",
    );
    expect(after.get('/test/integration/refunds-service.int-spec.ts')).toContain("it('serves its refunds at /api/v1/refunds");

    // The edge: forwarding, its setting (and who sets it), the one document.
    expect(after.get('/tools/openapi/src/public-api-document.ts')).toContain("import { REFUNDS_PUBLIC_API } from '../../../apps/refunds/src/public-api.js';");
    expect(after.get('/tools/openapi/src/public-api-document.ts')).toMatch(/BEHIND_THE_EDGE: readonly PublicApi\[\] = \[[^\]]*, REFUNDS_PUBLIC_API\];/);
    expect(after.get('/apps/orders-api/src/public-edge.ts')).toContain("{ service: 'refunds', pathPrefix: '/api/v1/refunds', target: env.REFUNDS_URL },");
    expect(after.get('/apps/orders-api/src/public-edge.ts')).toMatch(/Pick<OrdersEnv, [^>]* \| 'REFUNDS_URL'>/);
    expect(after.get('/apps/orders-api/src/configure-http.ts')).toContain("REFUNDS_URL: config.get('REFUNDS_URL')");
    expect(after.get('/apps/orders-api/src/orders-env.ts')).toContain("  REFUNDS_URL: z.url().default('http://127.0.0.1:3005'),");
    const pipeline = after.get('/tools/local-infra/src/pipeline.ts')!;
    expect(pipeline).toMatch(/PIPELINE_SERVICES = \[[^\]]*, 'refunds'\] as const;/);
    expect(pipeline).toContain("REFUNDS_URL: `http://${HOST}:${portOf('refunds')}`");
    expect(pipeline).toMatch(/type UpstreamUrls = Partial<Record<[^,]* \| 'REFUNDS_URL', string>>;/);
    expect(pipeline).toMatch(/ \|\| name === 'refunds' \? \{ API_KEYS: settings\.apiKeysEnv/);
    const compose = parse(after.get('/docker-compose.yml')!, { merge: true }) as { services: Record<string, { environment: Record<string, string> }> };
    expect(compose.services['orders-api']!.environment['REFUNDS_URL']).toBe('http://refunds:3005');
    expect(compose.services['refunds']!.environment['API_KEYS']).toBe(compose.services['orders-api']!.environment['API_KEYS']);
    expect(after.get('/helm/order-pipeline/templates/configmap.yaml')).toContain(
      '  REFUNDS_URL: {{ printf "http://%s:%v" (include "order-pipeline.componentName" (list $ "refunds")) (int64 $.Values.refunds.service.port) | quote }}',
    );
    expect(after.get('/helm/order-pipeline/templates/networkpolicy.yaml')).toMatch(/\$behindTheEdge := list "inventory" "analytics" "refunds" \}\}/);
    expect(after.get('/helm/order-pipeline/templates/deployment.yaml')!.match(/has \$name \(list "orders-api"[^)]* "refunds"\)/g)).toHaveLength(2);
  });

  it('refuses --http when its route meets one the edge answers already, and changes nothing', async () => {
    const tree = repositoryTree();
    const before = contents(tree);
    await expect(runner.runSchematic('service-app', { ...refunds, http: true, aggregate: 'Product' }, tree)).rejects.toThrow(
      /--http: its route \/api\/v1\/products meets \/api\/v1\/products/,
    );
    expect(contents(tree)).toEqual(before);
  });

  it('places its migration after every existing one', async () => {
    const tree = await runner.runSchematic('service-app', refunds, repositoryTree());
    const migrations = tree.getDir('/prisma/migrations').subdirs.map(String).sort();
    expect(migrations.at(-1)).toMatch(/_refunds_service$/);
  });

  it.each([
    ['an existing service', { ...refunds, name: 'payments' }, /A service named "payments" already exists/],
    ['a name that is no identifier', { ...refunds, name: '1st-service' }, /not a usable service name/],
    ['no --consumes (what nest generate passes without a terminal)', { name: 'refunds' }, /needs --consumes/],
    ['an event type outside its own prefix', { ...refunds, emits: 'payments.refunded' }, /must be refunds\.<event>/],
    ['an unknown subject', { ...refunds, consumes: 'payments.teleported' }, /no such event in libs\/contracts/],
    ['a wildcard', { ...refunds, consumes: 'payments.>' }, /wildcards are not supported/],
    ['one of its own events', { ...refunds, consumes: 'refunds.issued' }, /would loop/],
    ['an aggregate name that is taken', { ...refunds, aggregate: 'Payment' }, /the Prisma model Payment exists already/],
    ['a port another service uses', { ...refunds, port: 3001 }, /--port 3001 is used by another service/],
    ['a stream name the dead-letter office uses', { ...refunds, name: 'dlq-advisories', emits: 'dlq-advisories.x' }, /stream name DLQ_ADVISORIES is taken/],
    ['subjects another stream captures', { ...refunds, name: 'deadletters', emits: 'deadletters.x' }, /DEAD_LETTERS already captures deadletters\.\*/],
  ])('refuses %s and changes nothing', async (_, options, message) => {
    const tree = repositoryTree();
    const before = contents(tree);
    await expect(runner.runSchematic('service-app', options, tree)).rejects.toThrow(message);
    expect(contents(tree)).toEqual(before);
  });

  it('refuses a second run for the same name', async () => {
    const once = await runner.runSchematic('service-app', refunds, repositoryTree());
    const before = contents(once);
    await expect(runner.runSchematic('service-app', refunds, once)).rejects.toThrow(
      /A service named "refunds" already exists: apps\/refunds; the nest-cli.json project "refunds"; .*service-app changed nothing/,
    );
    expect(contents(once)).toEqual(before);
  });

  it('explains its options with the descriptions in schema.json (--help)', async () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schematics/service-app/schema.json'), 'utf8')) as {
      properties: Record<string, { description: string }>;
    };
    const help = await run(process.execPath, ['schematics/bin/service-app.js', '--help'], { cwd: repoRoot });
    expect(help.code).toBe(0);
    const flat = help.output.replace(/\s+/g, ' ');
    for (const option of ['name', 'consumes', 'emits', 'aggregate', 'port', 'http']) {
      expect(flat).toContain(schema.properties[option]!.description);
    }
    expect(flat).toContain('--dry-run');
  });

  it('type-checks (its JavaScript carries JSDoc types: schematics/tsconfig.json)', async () => {
    const check = await run(path.join(repoRoot, 'node_modules/.bin/tsc'), ['-p', 'schematics'], { cwd: repoRoot });
    expect(check).toMatchObject({ code: 0 });
  });
});
