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

/**
 * A client that runs a callback in a transaction. `Tx` is what the callback
 * gets: SqlClient from SqlDatabase, Prisma's TransactionClient (its typed
 * models too) from PrismaService.
 */
export interface TransactionalSqlClient<Tx extends SqlClient = SqlClient> extends SqlClient {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}
