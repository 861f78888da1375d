import type pg from 'pg';

/**
 * Calls `onRoundTrip` each time the client sends a query while it waits for
 * no other: the waits on PostgreSQL a unit of work pays, whatever sends the
 * queries (SqlDatabase, Prisma's driver adapter, pool.query). On a pipelined
 * connection (the services' pools are, see createPool) a query sent while
 * another is still unanswered travels with it and shares its round trip: a
 * transaction's BEGIN and its first statement are one.
 * Hand-written because pg has no event for a query; this wraps the one
 * method every path ends in, as OpenTelemetry's pg instrumentation does.
 * A query given a callback or a submittable (no promise to follow) counts as
 * a round trip of its own.
 */
export function countRoundTrips(client: pg.ClientBase, onRoundTrip: () => void): void {
  const query = client.query;
  let unanswered = 0;
  const answered = () => {
    unanswered -= 1;
  };
  client.query = function countedQuery(this: pg.ClientBase, ...args: unknown[]) {
    const result = (query as (...args: unknown[]) => unknown).apply(this, args);
    if (!(result instanceof Promise)) {
      onRoundTrip();
      return result;
    }
    if (unanswered === 0) onRoundTrip();
    unanswered += 1;
    // A second handler on the caller's promise: the caller still sees the rejection.
    result.then(answered, answered);
    return result;
  } as typeof client.query;
}
