/**
 * Plain SQL with positional parameters, in or out of a transaction. Both a
 * Prisma client (or its interactive transaction) and SqlDatabase (pg, for the
 * hot paths) offer it, so the outbox, the inbox and the services' row modules
 * run on either. Raw SQL because they need what Prisma's query API cannot
 * say (`FOR UPDATE SKIP LOCKED`, `ON CONFLICT ... RETURNING`, `pg_notify`, one
 * table name for three services' identical tables) or cannot say cheaply.
 */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface TransactionalSqlClient extends SqlClient {
  $transaction<R>(
    fn: (tx: SqlClient) => Promise<R>,
    options?: { timeout?: number; maxWait?: number },
  ): Promise<R>;
}
