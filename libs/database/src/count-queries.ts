import type pg from 'pg';

/**
 * Calls `onQuery` for every query the client sends, whatever sends it
 * (SqlDatabase, Prisma's driver adapter, pool.query). Hand-written because
 * pg has no event for a query; this wraps the one method every path ends in,
 * as OpenTelemetry's pg instrumentation does.
 *
 * Every query counts, BEGIN and COMMIT too, pipelined or not: the bench
 * takes its own queries out of PostgreSQL's statement counts with it. The
 * services count round trips instead (countRoundTrips).
 */
export function countQueries(client: pg.ClientBase, onQuery: () => void): void {
  const query = client.query;
  client.query = function countedQuery(this: pg.ClientBase, ...args: unknown[]) {
    onQuery();
    return (query as (...args: unknown[]) => unknown).apply(this, args);
  } as typeof client.query;
}
