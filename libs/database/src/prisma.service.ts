import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { databaseRoundTrips } from '#metrics';
import { countRoundTrips } from './count-round-trips.js';
import { DATABASE_OPTIONS, DEFAULT_POOL_SIZE, type DatabaseOptions } from './database.options.js';
import { PrismaClient } from './generated/prisma/client.js';

/**
 * The Prisma client of one service, as a Nest provider. The generated client
 * uses the "client" engine (no native query engine), so it reaches PostgreSQL
 * through the pg driver adapter, whose pool this service owns: opened when the
 * module starts, so a bad URL or a down database fails the boot instead of the
 * first request, and closed when it stops, so shutdown does not wait on idle
 * connections.
 * Usable without Nest too: `new PrismaService({ url })`.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  /** The pool behind the adapter, shared with SqlDatabase; ended by $disconnect. */
  readonly pool: pg.Pool;

  constructor(@Inject(DATABASE_OPTIONS) options: DatabaseOptions) {
    const pool = createPool(options);
    super({
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      transactionOptions: TRANSACTION_OPTIONS,
    });
    this.pool = pool;
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
    // With a driver adapter $connect does not reach the database; one query does.
    await this.$queryRaw`SELECT 1`;
  }

  /**
   * On application shutdown, after every module's destroy hook: the outbox
   * relay and the consumers must finish their transactions first.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

/**
 * How long a transaction may wait for a pooled connection, and run. Prisma's
 * 2 s wait made a burst fail with "Unable to start a transaction in the given
 * time": HTTP 500s and consumer retries (work done again) exactly when the
 * service is busiest. Waiting longer only queues the work, which the pool
 * drains in order; the run limit stays Prisma's, so a stuck transaction still
 * gives its connection back.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 5_000 } as const;

/**
 * The same bounds for SqlDatabase's transactions, which Prisma does not see,
 * kept by the pool and the server: the wait for a pooled connection (pg-pool
 * answers "timeout exceeded when trying to connect", which counts as the
 * database being unavailable), a statement that runs or waits for a lock too
 * long, and a transaction left open and idle (the relay's stays open while
 * its publishes are acknowledged, hence the longer limit).
 */
const POOL_LIMITS = {
  connectionTimeoutMillis: TRANSACTION_OPTIONS.maxWait,
  statement_timeout: 15_000,
  idle_in_transaction_session_timeout: 60_000,
} as const;

/**
 * The pool behind the adapter, with an error listener on every connection for
 * its whole life. When PostgreSQL restarts it sends each connection a FATAL
 * "terminating connection due to administrator command"; pg emits that as an
 * `error` event, and a connection the adapter has just released (or not yet
 * claimed) has no listener of its own, which crashes the process. Here the
 * broken connection is only dropped, and the next query opens a new one.
 * Every connection also counts its round trips (db_round_trips_total): the
 * cost of a unit of work in waits on PostgreSQL, Prisma's and plain SQL alike.
 *
 * The connections are pipelined (pg's `pipeline: true`): a query is written
 * at once, even while earlier ones on the connection are unanswered, so
 * SqlDatabase's BEGIN travels with the transaction's first statement instead
 * of costing a round trip of its own. Nothing here keeps a portal open across
 * round trips (cursors, the `rows` option), which pipeline mode refuses; and
 * no query_timeout is set, which in pipeline mode would destroy the
 * connection (statement_timeout, on the server, bounds a statement instead).
 */
function createPool(options: DatabaseOptions): pg.Pool {
  const logger = new Logger('PostgreSQL');
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? DEFAULT_POOL_SIZE, pipeline: true, ...POOL_LIMITS });
  const report = (error: Error) => logger.warn(`connection lost: ${error.message}`);
  pool.on('error', report);
  pool.on('connect', (client) => {
    client.on('error', report);
    countRoundTrips(client, () => databaseRoundTrips.inc());
  });
  return pool;
}
