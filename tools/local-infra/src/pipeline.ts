import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatePipelineApiKeys, type ApiEndpoint, type PipelineApiKeys } from './api-keys.js';
import { stockUpCatalog } from './catalog.js';
import { findFreePorts } from './free-port.js';
import { startNatsServer, type NatsCredentials, type NatsServer } from './nats-server.js';
import { createDatabase, dropDatabase, migrateDatabase, repoRoot, startPostgres, type PostgresServer, type StartPostgresOptions } from './postgres.js';
import { spawnService, type ServiceHandle } from './process-group.js';
import { SERVICE_HEAP_FLAGS, SERVICE_MEMORY_ENV } from './service-memory.js';

/**
 * The whole order pipeline on this machine: a NATS JetStream server, a
 * PostgreSQL database of its own, and the three built services as real
 * processes. The demo and the end-to-end (and chaos) tests start it the same
 * way, so what the tests prove is what the demo shows.
 */

export const PIPELINE_SERVICES = ['orders-api', 'inventory', 'payments', 'shipments', 'analytics'] as const;
export type PipelineServiceName = (typeof PIPELINE_SERVICES)[number];

/** Three Nest apps booting at once on a small CI box take longer than one alone. */
const DEFAULT_SERVICE_READY_TIMEOUT_MS = 60_000;
/** A probed port can be taken before the service binds it (see free-port.ts): pick again. */
const PORT_ATTEMPTS = 3;
const HOST = '127.0.0.1';

export interface PipelineOptions {
  /**
   * Name of the database to create (an old one of that name is dropped first).
   * Default: a fresh random name, so parallel runs on one server never meet.
   */
  databaseName?: string;
  /** Drop the database in stop(). Default true: tests on a shared server must not pile up databases. */
  dropDatabaseOnStop?: boolean;
  /** Share of charges the mock gateway captures (PAYMENT_SUCCESS_RATE); the service default when omitted. */
  paymentSuccessRate?: number;
  /** PAYMENT_SEED of the mock gateway. */
  paymentSeed?: string;
  /** Simulated gateway round trip (PAYMENT_LATENCY_MS). */
  paymentLatencyMs?: number;
  /** Share of charge attempts failing with a transient gateway error (PAYMENT_GATEWAY_ERROR_RATE). */
  paymentGatewayErrorRate?: number;
  /**
   * Services to start again whenever they exit on their own (a crash), as a
   * supervisor would: `true` for all three. Deliberate kill()/stop() calls are
   * not followed by a restart. Default: none.
   */
  autoRestart?: boolean | readonly PipelineServiceName[];
  /** Environment applied over `env` when autoRestart starts a service again (say, a fault switched off). */
  autoRestartEnv?: Record<string, string | undefined>;
  /** Extra environment per service, applied last (a value of undefined removes a variable). */
  env?: Partial<Record<PipelineServiceName, Record<string, string | undefined>>>;
  /**
   * Extra Node.js flags per service, before the entry point (e.g. `--cpu-prof`, which NODE_OPTIONS refuses).
   * They come after SERVICE_HEAP_FLAGS, so a heap flag given here overrides the default.
   */
  nodeArgs?: Partial<Record<PipelineServiceName, string[]>>;
  /** Also write each service's output (and the NATS server's, on stop) to files in this directory. */
  logDir?: string;
  /** How long to wait for each service's /health. */
  readyTimeoutMs?: number;
  /** Called with one line per step, for callers that show progress (the demo). */
  onProgress?: (message: string) => void;
  /**
   * Restock every product of the catalog to at least this many units available
   * once the services are up (through inventory's API): for load runs that
   * would sell the seeded stock out. Default: the seeded stock.
   */
  stockPerProduct?: number;
  /** How the embedded PostgreSQL commits, and whether it counts statements (startPostgres' options). */
  postgres?: Pick<StartPostgresOptions, 'durability' | 'statementStatistics'>;
  /**
   * How many orders-api processes to run (default 1): the others share its
   * database, NATS user, keys and settings, as replicas behind a load
   * balancer would. Their URLs are in ordersApiUrls.
   */
  ordersApiReplicas?: number;
}

export interface Pipeline {
  /** Base URL of orders-api, e.g. http://127.0.0.1:PORT (the API is under /api/v1). */
  readonly apiUrl: string;
  /** The API keys orders-api was started with (send one as X-API-Key); `operator` has every scope. */
  readonly apiKeys: PipelineApiKeys;
  /** apiUrl with the operator key: what the demo, the bench and most tests call the API with. */
  readonly api: ApiEndpoint;
  /** inventory's URL with the operator key: the catalog and its restocks. */
  readonly inventory: ApiEndpoint;
  /** Base URL of each service's HTTP server (health, /metrics; orders-api's is apiUrl). */
  readonly serviceUrls: Readonly<Record<PipelineServiceName, string>>;
  /** Base URL of every orders-api replica (ordersApiReplicas), apiUrl first. */
  readonly ordersApiUrls: readonly string[];
  /** The NATS server's URL; a client connecting with it alone is the admin (see NatsServer.url). */
  readonly natsUrl: string;
  /** URL of the pipeline's own database. */
  readonly databaseUrl: string;
  /** Handles of the running services: stop/kill/restart, output(). */
  readonly services: Readonly<Record<PipelineServiceName, ServiceHandle>>;
  /** The NATS server itself, for tests that restart or kill the broker. */
  readonly nats: NatsServer;
  /** The PostgreSQL server, for tests that restart it (only the embedded one can be). */
  readonly postgres: PostgresServer;
  /** Stops the services, the NATS server, the database and PostgreSQL (if started here). Idempotent. */
  stop(): Promise<void>;
}

/** The entry point of a built service, relative to the repository root. */
export function serviceEntryPoint(name: PipelineServiceName): string {
  return path.join('dist', 'apps', name, 'src', 'main.js');
}

/**
 * Starts everything and resolves once all three services answer /health.
 * On a failure part-way, whatever was already started is stopped again
 * before the error is thrown. Children never outlive this process
 * (process-group.ts kills them on exit), even without stop().
 */
export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const progress = options.onProgress ?? (() => {});
  const root = repoRoot();
  // Checked first: without a build there is nothing to run, and finding out
  // after starting NATS and PostgreSQL only wastes time.
  assertBuilt(root);
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });

  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    // Reverse order: services before the broker and database they use.
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, `stopping the pipeline failed: ${errors.map(String).join('; ')}`);
  };

  try {
    progress('starting NATS server (JetStream)...');
    const nats = await startNatsServer();
    cleanups.push(async () => {
      try {
        await nats.stop();
      } finally {
        // After the stop, so the log has the shutdown too; a failed write must not leave the server running.
        if (options.logDir) writeFileSync(path.join(options.logDir, 'nats-server.log'), nats.output());
      }
    });
    progress(`NATS ready at ${nats.url}`);

    progress(process.env['DATABASE_URL'] ? 'using the PostgreSQL server named by DATABASE_URL...' : 'starting PostgreSQL (embedded)...');
    const postgres: PostgresServer = await startPostgres(options.postgres);
    cleanups.push(() => postgres.stop());

    const databaseName = options.databaseName ?? `order_pipeline_${randomBytes(4).toString('hex')}`;
    progress(`creating database ${databaseName}...`);
    const databaseUrl = await createDatabase(postgres.url, databaseName);
    if (options.dropDatabaseOnStop ?? true) cleanups.push(() => dropDatabase(postgres.url, databaseName));
    progress('migrating the database (prisma migrate deploy)...');
    await migrateDatabase(databaseUrl);

    const apiKeys = generatePipelineApiKeys();
    progress(`starting services ${PIPELINE_SERVICES.join(', ')}...`);
    // One cleanup for all of them, registered before any starts, so a
    // sibling's failure still stops the ones that came up; in parallel,
    // since each gets a graceful shutdown of its own.
    const running = new Set<ServiceHandle>();
    cleanups.push(async () => {
      await Promise.all([...running].map((handle) => handle.stop()));
    });
    const start = (names: readonly PipelineServiceName[], upstreams: UpstreamUrls = {}) =>
      startServices(names, (name) =>
        startService(root, name, { ...options, natsUrl: nats.url, natsUser: nats.credentials[name], databaseUrl, apiKeysEnv: apiKeys.env, upstreams }, running),
      );
    // orders-api last: it is the public edge and forwards to inventory's and analytics' ports, known once they listen.
    const behindTheEdge = await start(PIPELINE_SERVICES.filter((name) => name !== 'orders-api'));
    const portOf = (name: PipelineServiceName) => behindTheEdge.find((s) => s.name === name)!.port;
    const upstreams = { INVENTORY_URL: `http://${HOST}:${portOf('inventory')}`, ANALYTICS_URL: `http://${HOST}:${portOf('analytics')}` };
    const edge = await start(['orders-api'], upstreams);
    // More replicas after the first, which has provisioned the streams and consumers they then find.
    const replicas = await start(Array<PipelineServiceName>(Math.max(0, (options.ordersApiReplicas ?? 1) - 1)).fill('orders-api'), upstreams);
    const ready = [...edge, ...behindTheEdge];
    const services = Object.fromEntries(ready.map((s) => [s.name, s.handle])) as Record<PipelineServiceName, ServiceHandle>;
    const serviceUrls = Object.fromEntries(ready.map((s) => [s.name, `http://${HOST}:${s.port}`])) as Record<PipelineServiceName, string>;
    await assertConnectedAsOwnUsers(nats);
    progress(`services ready: ${ready.map((s) => `${s.name} on :${s.port}`).join(', ')}`);
    const inventory = { url: serviceUrls.inventory, key: apiKeys.keys.operator };
    if (options.stockPerProduct) await stockUpCatalog(inventory, options.stockPerProduct);

    let stopping: Promise<void> | undefined;
    return {
      apiUrl: serviceUrls['orders-api'],
      apiKeys: apiKeys.keys,
      api: { url: serviceUrls['orders-api'], key: apiKeys.keys.operator },
      inventory,
      serviceUrls,
      ordersApiUrls: [...edge, ...replicas].map((s) => `http://${HOST}:${s.port}`),
      natsUrl: nats.url,
      databaseUrl,
      services,
      nats,
      postgres,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll().catch(() => undefined); // the start-up error is the one worth seeing
    throw error;
  }
}

function assertBuilt(root: string): void {
  const missing = PIPELINE_SERVICES.map(serviceEntryPoint).filter((entry) => !existsSync(path.join(root, entry)));
  if (missing.length > 0) {
    throw new Error(
      `The services are not built: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing in ${root}. ` +
        'Run `npm run build` first.',
    );
  }
}

/** Where the edge finds the services it forwards to (orders-api's INVENTORY_URL and ANALYTICS_URL). */
type UpstreamUrls = Partial<Record<'INVENTORY_URL' | 'ANALYTICS_URL', string>>;

type ServiceSettings = PipelineOptions & {
  natsUrl: string;
  natsUser: NatsCredentials;
  databaseUrl: string;
  apiKeysEnv: string;
  upstreams: UpstreamUrls;
};

/** Starts services side by side; one failure fails the start, with every failure's output. */
async function startServices(
  names: readonly PipelineServiceName[],
  startOne: (name: PipelineServiceName) => Promise<StartedService>,
): Promise<StartedService[]> {
  const started = await Promise.allSettled(names.map(startOne));
  const failures = started.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (failures.length > 0) {
    throw failures.length === 1 ? failures[0] : new AggregateError(failures, failures.map((e) => e.message).join('\n\n'));
  }
  return started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

interface StartedService {
  name: PipelineServiceName;
  port: number;
  handle: ServiceHandle;
}

async function startService(
  root: string,
  name: PipelineServiceName,
  settings: ServiceSettings,
  running: Set<ServiceHandle>,
): Promise<StartedService> {
  for (let attempt = 1; ; attempt++) {
    const [port] = await findFreePorts(1, HOST);
    const handle = spawnService({
      name,
      command: process.execPath,
      args: [...SERVICE_HEAP_FLAGS, ...(settings.nodeArgs?.[name] ?? []), path.join(root, serviceEntryPoint(name))],
      cwd: root,
      env: serviceEnv(name, port!, settings),
      readyUrl: `http://${HOST}:${port}/health`,
      logFile: settings.logDir ? path.join(settings.logDir, `${name}.log`) : undefined,
      autoRestart: settings.autoRestart === true || (Array.isArray(settings.autoRestart) && settings.autoRestart.includes(name)),
      autoRestartEnv: settings.autoRestartEnv,
    });
    running.add(handle);
    try {
      await handle.waitReady(settings.readyTimeoutMs ?? DEFAULT_SERVICE_READY_TIMEOUT_MS);
      return { name, port: port!, handle };
    } catch (error) {
      await handle.kill();
      running.delete(handle);
      if (attempt >= PORT_ATTEMPTS || !/EADDRINUSE/.test(handle.output())) throw error;
    }
  }
}

function serviceEnv(
  name: PipelineServiceName,
  port: number,
  settings: ServiceSettings,
): Record<string, string | undefined> {
  const payments: Record<string, string | undefined> =
    name === 'payments'
      ? {
          PAYMENT_SUCCESS_RATE: settings.paymentSuccessRate?.toString(),
          PAYMENT_SEED: settings.paymentSeed,
          PAYMENT_LATENCY_MS: settings.paymentLatencyMs?.toString(),
          PAYMENT_GATEWAY_ERROR_RATE: settings.paymentGatewayErrorRate?.toString(),
        }
      : {};
  const ordersApi: Record<string, string | undefined> =
    name === 'orders-api'
      ? {
          API_KEYS: settings.apiKeysEnv,
          ...settings.upstreams,
          // The load tools write from one key far faster than any client should; a test of the limit sets its own.
          RATE_LIMIT_WRITES: '1000000',
        }
      : {};
  // analytics and inventory serve their routes behind the same keys as orders-api.
  const analytics: Record<string, string | undefined> =
    name === 'analytics' || name === 'inventory' ? { API_KEYS: settings.apiKeysEnv, RATE_LIMIT_WRITES: '1000000' } : {};
  return {
    ...SERVICE_MEMORY_ENV,
    PORT: String(port),
    HOST,
    NATS_URL: settings.natsUrl,
    // Its own user: allowed only what its contracts say it emits and consumes.
    NATS_USER: settings.natsUser.user,
    NATS_PASSWORD: settings.natsUser.pass,
    DATABASE_URL: settings.databaseUrl,
    // Only what the caller set overrides the service defaults.
    ...Object.fromEntries(Object.entries(payments).filter(([, value]) => value !== undefined)),
    ...ordersApi,
    ...analytics,
    ...settings.env?.[name],
  };
}

/**
 * Every service's connections are authenticated as the service's own user. A
 * client without credentials would be the admin (NatsServer.url), so a
 * service that lost its NATS_USER on the way would otherwise pass every test
 * with every right.
 */
async function assertConnectedAsOwnUsers(nats: NatsServer): Promise<void> {
  const response = await fetch(`${nats.monitorUrl}/connz?auth=true&limit=4096`);
  const { connections } = (await response.json()) as { connections: { name?: string; authorized_user?: string }[] };
  const wrong = PIPELINE_SERVICES.flatMap((service) => {
    const users = connections.filter((c) => c.name === service).map((c) => c.authorized_user ?? '(none)');
    if (users.length === 0) return [`${service}: no connection named ${service}`];
    return users.filter((user) => user !== service).map((user) => `${service}: connected as ${user}`);
  });
  if (wrong.length > 0) throw new Error(`The services must connect to NATS as their own users:\n  ${wrong.join('\n  ')}`);
}
