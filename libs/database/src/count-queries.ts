import type pg from 'pg';

/**
 * Calls `onQuery` for every query the client sends, whatever sends it
 * (SqlDatabase, Prisma's driver adapter, pool.query). Hand-written because
 * pg has no event for a query; this wraps the one method every path ends in,
 * as OpenTelemetry's pg instrumentation does.
 *
 * pg without pipeline mode sends one query and waits for its answer before
 * the next (BEGIN and COMMIT are queries too), so each call is one round trip.
 */
export function countQueries(client: pg.ClientBase, onQuery: () => void): void {
  const query = client.query;
  client.query = function countedQuery(this: pg.ClientBase, ...args: unknown[]) {
    onQuery();
    return (query as (...args: unknown[]) => unknown).apply(this, args);
  } as typeof client.query;
}
