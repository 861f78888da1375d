import { randomBytes } from 'node:crypto';
import { PrismaService, SqlDatabase } from '#database';
import { createDatabase, dropDatabase, migrateDatabase, startPostgres, type PostgresServer } from '#local-infra';

export interface TestDatabase {
  /** URL of this test's own database. */
  readonly url: string;
  /** A connected client of that database. */
  readonly prisma: PrismaService;
  /** Plain SQL on the same pool, as the services' hot paths use it. */
  readonly sql: SqlDatabase;
  /** Disconnects, drops the database and stops the server if it was started here. */
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Part of the database name, to tell test databases apart on a shared server. */
  label?: string;
  /** Connections of `prisma`; at least the number of concurrent transactions a test runs. */
  poolSize?: number;
  /** A server to reuse (e.g. for several databases in one file); it is not stopped. */
  server?: PostgresServer;
}

/**
 * A freshly migrated, empty database of its own for one test file: on the
 * given server, else on the server DATABASE_URL names, else on an embedded
 * PostgreSQL started for this file. Real PostgreSQL, no mocks: the behaviours
 * under test (row locks, version checks, transactions) are the database's.
 */
export async function startTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const server = options.server ?? (await startPostgres());
  const stopServer = options.server ? async () => {} : () => server.stop();
  const name = `test_${sanitize(options.label ?? 'it')}_${randomBytes(4).toString('hex')}`;
  try {
    const url = await createDatabase(server.url, name);
    await migrateDatabase(url);
    const prisma = new PrismaService({ url, poolSize: options.poolSize });
    await prisma.onModuleInit(); // connects and checks the database, as Nest would
    return {
      url,
      prisma,
      sql: new SqlDatabase(prisma.pool),
      stop: async () => {
        await prisma.$disconnect();
        await dropDatabase(server.url, name);
        await stopServer();
      },
    };
  } catch (error) {
    await stopServer();
    throw error;
  }
}

// PostgreSQL identifiers: lower case, at most 63 bytes (the random suffix included).
function sanitize(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
}
