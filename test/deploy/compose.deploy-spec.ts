import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { describe, it, test, expect, beforeAll, afterAll } from '@jest/globals';
import { parse } from 'yaml';
import { natsPasswordVariable, natsUserNames, renderNatsAuthorization } from '../../tools/contracts/src/nats-authorization.js';
import { defaultPort, parseServiceEnv, serviceNames, unknownVariables, type ServiceName } from './support/app-env.js';
import { repoPath } from './support/paths.js';

const run = promisify(execFile);

/**
 * The Compose Specification's JSON schema (compose-spec/compose-spec,
 * schema/compose-spec.json), as the dclint package ships it: the schema that
 * `docker compose config` validates against, including service_healthy /
 * service_completed_successfully conditions and healthcheck start_interval.
 */
function composeSpecSchema(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Its $schema is https://json-schema.org/draft-07/schema, which Ajv knows as http://...#.
  delete schema['$schema'];
  return schema;
}

const composeText = readFileSync(repoPath('docker-compose.yml'), 'utf8');
// Compose resolves YAML merge keys (<<: *anchor) before it validates.
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number; start_period?: string };
  depends_on?: Record<string, { condition: string }>;
  user?: string;
  stop_grace_period?: string;
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  volumes?: string[];
}

/** A compose value as compose resolves it with nothing set in the shell: `${VAR:-default}` is `default`. */
function withDefaults(value: string | undefined): string | undefined {
  return value?.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

function seconds(duration: string | undefined): number {
  const match = /^(\d+)s$/.exec(duration ?? '');
  if (!match) throw new Error(`expected a duration in seconds, got ${duration}`);
  return Number(match[1]);
}

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSpecSchema());
    // On failure the diff lists the schema's errors.
    expect({ valid: validate(compose), errors: validate.errors }).toEqual({ valid: true, errors: null });
  });

  it('is checked by a schema that does reject a wrong file', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSpecSchema());
    const broken = structuredClone(compose);
    broken.services['payments']!.depends_on!['migrate']!.condition = 'service_finished';
    (broken.services['shipments'] as Record<string, unknown>)['helthcheck'] = {};
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => error.instancePath);
    expect(paths).toContain('/services/payments/depends_on/migrate/condition');
    expect(paths).toContain('/services/shipments');
  });

  it('has the infrastructure, the one-shot migration and every service', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['jaeger', 'migrate', 'nats', 'nats-auth', 'postgres', ...serviceNames].sort());
  });

  it('builds one image from the Dockerfile for the services, the migration and the NATS users', () => {
    for (const name of ['migrate', 'nats-auth', ...serviceNames]) {
      const service = compose.services[name]!;
      expect(service.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(service.image).toBe(compose.services['migrate']!.image);
    }
  });

  it('runs the migration once, after PostgreSQL is healthy, and never restarts it', () => {
    const migrate = compose.services['migrate']!;
    expect(migrate.command).toEqual(['migrate']);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(migrate.environment?.['DATABASE_URL']).toBe(compose.services['orders-api']!.environment?.['DATABASE_URL']);
  });

  it('gives NATS a pinned JetStream server with its durable configuration, and health checks on NATS and PostgreSQL', () => {
    const nats = compose.services['nats']!;
    expect(nats.image).toMatch(/^nats:2\.\d+/);
    expect(nats.volumes).toContain('./deploy/nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
    const config = readFileSync(repoPath('deploy/nats/nats-server.conf'), 'utf8');
    expect(config).toMatch(/^jetstream \{/m);
    expect(config).toMatch(/^\s*sync_interval: always/m);
    expect(nats.healthcheck?.test.join(' ')).toContain('/healthz');
    expect(compose.services['postgres']!.healthcheck?.test).toContain('pg_isready');
    expect(compose.services['jaeger']!.environment).toMatchObject({ COLLECTOR_OTLP_ENABLED: 'true' });
  });

  it('writes the NATS users from the contracts into a volume, once, before NATS starts, which includes them', () => {
    const auth = compose.services['nats-auth']!;
    const nats = compose.services['nats']!;
    expect(auth.restart).toBe('no');
    expect(auth.command).toEqual(['nats-config', '--out', '/nats-auth/authorization.conf']);
    expect(auth.volumes).toEqual(['nats-auth:/nats-auth']);
    expect(compose.volumes).toHaveProperty('nats-auth');
    expect(nats.depends_on).toEqual({ 'nats-auth': { condition: 'service_completed_successfully' } });
    // The server's configuration sits in /etc/nats and includes auth/authorization.conf: the volume's file.
    expect(nats.volumes).toContain('nats-auth:/etc/nats/auth:ro');
    const config = readFileSync(repoPath('deploy/nats/nats-server.conf'), 'utf8');
    expect(config).toMatch(/^include "auth\/authorization\.conf"$/m);
    expect(config).not.toMatch(/no_auth_user/);
    // Without a capability, read-only, like every other container.
    expect(auth.cap_drop).toEqual(['ALL']);
    expect(auth.read_only).toBe(true);
  });

  it('gives the generator a password for every NATS user, and the defaults make a valid block', () => {
    const env = compose.services['nats-auth']!.environment ?? {};
    expect(Object.keys(env).sort()).toEqual(natsUserNames().map(natsPasswordVariable).sort());
    for (const [variable, value] of Object.entries(env)) expect(value).toMatch(new RegExp(`^\\$\\{${variable}:-[^}]+\\}$`));
    const passwords = Object.fromEntries(natsUserNames().map((user) => [user, withDefaults(env[natsPasswordVariable(user)])]));
    expect(renderNatsAuthorization(passwords)).toContain('authorization {');
  });

  describe.each(serviceNames)('%s', (name: ServiceName) => {
    const service = compose.services[name]!;
    const port = defaultPort(name);

    it(`listens on ${port}, published on the same host port`, () => {
      expect(service.command).toEqual([name]);
      expect(service.environment?.['PORT']).toBe(String(port));
      expect(service.ports).toEqual([`${port}:${port}`]);
    });

    it('has an environment the service accepts, with no variable it would ignore', () => {
      const env = service.environment ?? {};
      expect(unknownVariables(name, env)).toEqual([]);
      expect(Object.keys(env).filter((variable) => variable.startsWith('FAULT_'))).toEqual([]);
      expect(parseServiceEnv(name, env)['PORT']).toBe(port);
    });

    it('connects to the compose NATS as its own user, with the password the NATS users were written with', () => {
      const env = service.environment ?? {};
      expect(env['NATS_USER']).toBe(name);
      expect(env['NATS_PASSWORD']).toBe(compose.services['nats-auth']!.environment?.[natsPasswordVariable(name)]);
    });

    it('connects to the compose NATS, PostgreSQL (with its credentials) and Jaeger', () => {
      const env = service.environment ?? {};
      const postgres = compose.services['postgres']!.environment ?? {};
      expect(env['NATS_URL']).toBe('nats://nats:4222');
      expect(env['DATABASE_URL']).toBe(
        `postgresql://${postgres['POSTGRES_USER']}:${postgres['POSTGRES_PASSWORD']}@postgres:5432/${postgres['POSTGRES_DB']}`,
      );
      expect(env['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://jaeger:4318');
      expect(compose.services['jaeger']!.ports).toContain('4318:4318');
      expect(env['OTEL_SERVICE_NAME']).toBe(name);
    });

    it(`is healthy when GET http://127.0.0.1:${port}/health answers`, () => {
      const test = service.healthcheck?.test ?? [];
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(test[3]).toContain(`http://127.0.0.1:${port}/health'`);
    });

    it('starts after NATS and PostgreSQL are healthy and the migration completed', () => {
      expect(service.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        nats: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    });

    it('gets longer than its 20 s drain to stop, and runs read-only without capabilities', () => {
      expect(seconds(service.stop_grace_period)).toBeGreaterThan(20);
      expect(service.read_only).toBe(true);
      expect(service.tmpfs).toContain('/tmp');
      expect(service.cap_drop).toEqual(['ALL']);
    });
  });

  describe('the health check command', () => {
    let server: Server;
    let status = 200;
    let port = 0;
    beforeAll(async () => {
      server = createServer((request, response) => {
        response.statusCode = request.url === '/health' ? status : 404;
        response.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs orders-api's check against a local server instead of port 3000. */
    async function check(): Promise<number> {
      const script = compose.services['orders-api']!.healthcheck!.test[3]!.replace(':3000/', `:${port}/`);
      try {
        await run(process.execPath, ['-e', script], { timeout: 10_000 });
        return 0;
      } catch (error) {
        return (error as { code?: number }).code ?? -1;
      }
    }

    it('exits 0 on 200, 1 on 503 and 1 when nothing listens', async () => {
      status = 200;
      expect(await check()).toBe(0);
      status = 503;
      expect(await check()).toBe(1);
      const script = compose.services['orders-api']!.healthcheck!.test[3]!.replace(':3000/', ':1/');
      await expect(run(process.execPath, ['-e', script], { timeout: 10_000 })).rejects.toMatchObject({ code: 1 });
    });
  });
});
