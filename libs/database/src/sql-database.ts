import type pg from 'pg';
import type { SqlClient, TransactionalSqlClient } from './sql-client.js';

/**
 * A stable name per statement text, for pg's per-connection prepared
 * statements. Bounded: the hot paths use a few dozen texts (some vary with a
 * row count), and anything past the bound runs unnamed rather than growing
 * every connection's set of prepared statements without end.
 */
class PreparedStatementNames {
  private static readonly MAX = 256;
  private readonly names = new Map<string, string>();

  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known || this.names.size >= PreparedStatementNames.MAX) return known;
    const name = `hot_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }
}

/** Statements run by name on one pg queryable (the pool, or a transaction's connection). */
abstract class PreparedSql implements SqlClient {
  constructor(
    private readonly db: Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>,
    protected readonly statements: PreparedStatementNames,
  ) {}

  async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return (await this.run(query, values)).rows as T;
  }

  async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return (await this.run(query, values)).rowCount ?? 0;
  }

  private run(text: string, values: unknown[]): Promise<pg.QueryResult> {
    return this.db.query({ name: this.statements.nameFor(text), text, values });
  }
}

/**
 * The service's PostgreSQL for its hot paths: plain SQL straight on the pg
 * pool that Prisma's driver adapter uses too (one pool, one connection limit).
 *
 * Why not Prisma's $transaction and $queryRawUnsafe: every raw statement still
 * passes through Prisma's request pipeline, and an interactive transaction
 * adds its own bookkeeping round trips; the bench measured Prisma at a third
 * to a half of each service's CPU per order, for statements that need none of
 * its mapping. Prisma stays the owner of the schema, the migrations and the
 * typed queries of the cold paths.
 *
 * Statements are prepared once per connection and then only bound and run,
 * which spares PostgreSQL the parse and plan of the same few statements on
 * every message.
 */
export class SqlDatabase extends PreparedSql implements TransactionalSqlClient {
  constructor(private readonly pool: pg.Pool) {
    super(pool, new PreparedStatementNames());
  }

  /**
   * Runs `fn` in a transaction on one pooled connection: COMMIT when it
   * resolves, ROLLBACK when it throws (and the error is rethrown). No
   * per-call limits as Prisma's have: the pool's connection timeout bounds
   * the wait for a connection, and the server's statement and
   * idle-in-transaction timeouts (PrismaService's POOL_LIMITS) bound a stuck
   * transaction.
   */
  async $transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // Not awaited: on the pool's pipelined connections BEGIN goes out with the
    // first statement, one round trip for both. That is safe because BEGIN
    // checks nothing and takes no lock: it fails only with the connection, and
    // then every statement behind it fails too, so none can run outside the
    // transaction. Its outcome is awaited before the COMMIT (and handled at
    // once, so an early failure is never an unhandled rejection).
    const begin = client.query('BEGIN');
    begin.catch(() => undefined);
    try {
      const tx = new TransactionSql(client, this.statements);
      const result = await fn(tx);
      await begin;
      // A transaction in which a statement failed (and the callback caught
      // it) cannot commit: PostgreSQL answers COMMIT with ROLLBACK, no error.
      const commit = await client.query('COMMIT');
      if (commit.command !== 'COMMIT') throw new TransactionRolledBackError();
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection itself is gone: drop it from the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** A statement failed inside the transaction and its callback went on: nothing was committed. */
export class TransactionRolledBackError extends Error {
  override readonly name = 'TransactionRolledBackError';
  constructor() {
    super('the transaction was rolled back: a statement in it failed');
  }
}

/** The `tx` a SqlDatabase transaction hands to its callback: every statement on its connection. */
class TransactionSql extends PreparedSql {}
