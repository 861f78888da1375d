/**
 * The slice of a Prisma client (or interactive transaction) the outbox and
 * inbox use. Raw SQL because they need what Prisma's query API cannot say:
 * `FOR UPDATE SKIP LOCKED`, `ON CONFLICT ... RETURNING`, `pg_notify`, and one
 * table name for three services' identical tables.
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
