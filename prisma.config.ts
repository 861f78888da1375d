/**
 * Prisma CLI configuration (Prisma 6.19.3), made to work offline.
 *
 * Why `engine: "js"`: every other setting makes the CLI download a native
 * schema-engine binary from Prisma's server, which fails offline. With the js
 * engine the CLI runs its bundled WebAssembly schema engine and reaches the
 * database through the @prisma/adapter-pg driver adapter configured below.
 *
 * The 6.19 adapter has three bugs that break our migrations; `OfflinePrismaPg`
 * works around each (each was reproduced without its fix):
 *  1. Catalog types (prisma/prisma#27403): `name` (OID 19) and `"char"` (OID 18)
 *     are not mapped, so even `migrate deploy` on a fresh database fails with
 *     "Column type 'name' could not be deserialized", and `migrate dev` panics
 *     ("unreachable") reading pg_constraint. Fix: map them as later releases
 *     do, `name` to Text and `"char"` to Character.
 *  2. Shadow database: the adapter connects "to the shadow database" with the
 *     main URL (pg lets a connection string win over `database`), so
 *     `migrate dev` replays migrations onto the main database ("type ... already
 *     exists", P3006) and cannot drop the shadow database its pool still holds.
 *     Fix: our own connectToShadowDb, whose URL names the shadow database,
 *     dropped WITH (FORCE) after its pool is closed.
 *  3. Scripts: the adapter splits every script on `;`, tearing apart
 *     dollar-quoted bodies, string literals and comments. Fix: send the whole
 *     migration as one simple-protocol query, as the native engine does; it then
 *     also runs as one implicit transaction, so a failed migration leaves nothing
 *     half-applied. Migrations still avoid `$$` bodies, to stay safe for any tool
 *     that splits them.
 *
 * Prompt exit: on success the CLI does not call process.exit but waits for the
 * event loop to drain, and two 10 s timers kept `migrate deploy` alive ~11 s:
 *  - pg's idle timers: the pool sets `allowExitOnIdle` (the CLI does not always
 *    close it); a client that is running a query still holds the process;
 *  - the engine's timeout around `pg_advisory_lock`, which the WebAssembly
 *    engine never clears once it holds the lock: see unrefEngineTimers.
 * CHECKPOINT_DISABLE=1 stops the update check, which reaches for the network
 * and kept `migrate dev` alive up to about 60 s.
 *
 * Every migrate command connects to DATABASE_URL, `migrate diff` included.
 * Making a migration (prisma/README.md): `npm run db:migrate`, then
 * `npx prisma migrate dev --name <change>`. The WebAssembly engine can only
 * evaluate a new migration when the database has no pending ones (otherwise:
 * "PostgreSQL shadow DB must be provided through an external factory"), hence
 * the deploy first. The role needs CREATEDB for the shadow database.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { defineConfig } from 'prisma/config';

process.env['CHECKPOINT_DISABLE'] ??= '1';

// The schema's `url = env("DATABASE_URL")` must resolve even for `generate`:
// when it does not, the CLI falls back to the library engine and tries to
// download it. The placeholder is never connected to (see `connect` below).
const databaseUrl = process.env['DATABASE_URL'];
process.env['DATABASE_URL'] ??= 'postgresql://unset@placeholder.invalid/set-DATABASE_URL';

/**
 * Timers the WebAssembly engine sets (its stack has wasm frames) are only
 * timeouts raced against database I/O, which itself keeps the process alive,
 * so they need not hold the process open once the command is done.
 */
function unrefEngineTimers(): void {
  const setTimeoutOriginal = globalThis.setTimeout;
  const setTimeoutUnrefFromWasm = (...args: Parameters<typeof setTimeout>) => {
    const timer = setTimeoutOriginal(...args);
    if (new Error().stack?.includes('wasm://')) timer.unref();
    return timer;
  };
  globalThis.setTimeout = Object.assign(setTimeoutUnrefFromWasm, setTimeoutOriginal);
}

unrefEngineTimers();

// Bug 1 (prisma/prisma#27403): the adapter cannot map the catalog types
// `name` (OID 19) and `"char"` (OID 18); later Prisma releases map them to
// Text and Character. The pool's client rewrites both OIDs to text before the
// adapter sees them and notes where the "char" columns were (keyed by the rows
// array, which the adapter passes through); queryRaw then marks those columns
// Character, without which the engine panics ("unreachable") on pg_constraint.
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;
const CHARACTER_COLUMN_TYPE = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils 6.19
const charColumnsByRows = new WeakMap<unknown[], number[]>();

type QueryResults = pg.QueryResult | pg.QueryResult[] | undefined;

function retypeCatalogColumns<T extends QueryResults>(results: T): T {
  for (const result of [results].flat()) {
    const charColumns: number[] = [];
    result?.fields?.forEach((field, index) => {
      if (field.dataTypeID === CHAR_OID) charColumns.push(index);
      if (field.dataTypeID === CHAR_OID || field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
    });
    if (result && charColumns.length > 0) charColumnsByRows.set(result.rows, charColumns);
  }
  return results;
}

class CatalogTypesClient extends pg.Client {
  // pg's query() has many overloads (promise, callback, submittable); this
  // keeps each call form and only rewrites the finished result.
  override query(...args: unknown[]): any {
    const callbackIndex = args.findLastIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result: QueryResults) => void;
      args[callbackIndex] = (error: Error | null, result: QueryResults) =>
        callback(error, error ? result : retypeCatalogColumns(result));
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return returned instanceof Promise ? returned.then(retypeCatalogColumns) : returned;
  }
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Queryable = Pick<PgAdapter, 'queryRaw'>;

function markCharColumns<Q extends Queryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const resultSet = await queryRaw(query);
    for (const index of charColumnsByRows.get(resultSet.rows) ?? []) {
      resultSet.columnTypes[index] = CHARACTER_COLUMN_TYPE as (typeof resultSet.columnTypes)[number];
    }
    return resultSet;
  };
  return queryable;
}

class OfflinePrismaPg extends PrismaPg {
  constructor(private readonly connectionString: string | undefined) {
    super(poolConfig(connectionString));
  }

  override async connect(): Promise<PgAdapter> {
    if (!this.connectionString) {
      // The CLI reports an error thrown here only as "External error id#0".
      console.error('Set DATABASE_URL: every migrate command, `migrate diff` included, connects to PostgreSQL.');
      throw new Error('DATABASE_URL is not set');
    }
    const adapter = markCharColumns(runScriptsWhole(await super.connect()));
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => markCharColumns(await startTransaction(isolationLevel));
    return adapter;
  }

  override async connectToShadowDb(): Promise<PgAdapter> {
    const shadowName = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
    await this.runAdminStatement(`CREATE DATABASE "${shadowName}"`);
    const shadowUrl = new URL(this.connectionString!);
    shadowUrl.pathname = `/${shadowName}`;
    const shadow = await new OfflinePrismaPg(shadowUrl.toString()).connect();
    const closePool = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await closePool();
      await this.runAdminStatement(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
    };
    return shadow;
  }

  private async runAdminStatement(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

function poolConfig(connectionString: string | undefined): pg.PoolConfig {
  return { connectionString, Client: CatalogTypesClient, allowExitOnIdle: true };
}

/** Bug 3: one simple-protocol query (no parameters) may hold many statements. */
function runScriptsWhole(adapter: PgAdapter): PgAdapter {
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  // Without DATABASE_URL, `generate` still works; commands that connect fail.
  adapter: async () => new OfflinePrismaPg(databaseUrl),
});
