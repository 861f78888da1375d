/**
 * Whether an error means "the database cannot be reached right now" (down,
 * restarting, connection refused or cut, no connection slot) rather than
 * "this query is wrong". The first is transient: an HTTP request answers 503
 * and may be retried, a message handler is retried after a delay. Pure, so it
 * can classify whatever Prisma, its pg driver adapter or pg itself throws.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some(isUnavailableCause);
}

/**
 * Whether an error is a unique-constraint violation: P2002 from Prisma's
 * query API, a raw statement's P2010 whose driver adapter error says so (the
 * adapter's classification of PostgreSQL's SQLSTATE 23505), or pg's own
 * error with that SQLSTATE (SqlDatabase).
 */
export function isUniqueViolation(error: unknown): boolean {
  return causes(error).some(
    (cause) => cause.code === 'P2002' || cause.code === '23505' || cause.kind === 'UniqueConstraintViolation',
  );
}

/**
 * Prisma's connection errors: P1001 can't reach the server, P1002 reached but
 * timed out, P1008 operation timed out, P1017 server closed the connection.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);

/** The driver adapter's names for the same (see @prisma/adapter-pg's error conversion). */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/** Socket errors of the TCP connection to the server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01 admin
 * shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up),
 * 53300 too many connections.
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/**
 * What pg says, without a code, when the server goes away under a query or
 * connect; and Prisma's P2028 when no pooled connection came free in time
 * (the pool is exhausted: nothing ran, the request can be retried). Other
 * P2028s (a transaction that ran past its timeout) stay errors.
 */
const MESSAGES = [
  /connection terminated/i,
  /can't reach database server/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /unable to start a transaction in the given time/i,
];

function isUnavailableCause(error: Record<string, unknown>): boolean {
  if (error.name === 'PrismaClientInitializationError') return true;
  for (const code of [error.code, error.originalCode, error.errorCode]) {
    if (typeof code !== 'string') continue;
    if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code)) return true;
  }
  if (typeof error.kind === 'string' && ADAPTER_KINDS.has(error.kind)) return true;
  // Last, the message: what pg says without a code, and Prisma's P2028 for
  // an exhausted pool (MESSAGES is narrow, so a query that failed for its own
  // reasons, a constraint or a syntax error, does not match).
  return typeof error.message === 'string' && MESSAGES.some((pattern) => pattern.test(error.message as string));
}

/**
 * The error and everything it wraps: `cause`, Prisma's `meta.driverAdapterError`
 * (whose `cause` holds the driver's kind and SQLSTATE), and AggregateError's
 * `errors` (a refused connection to localhost tries IPv4 and IPv6).
 */
function causes(error: unknown, depth = 0): Array<Record<string, unknown>> {
  if (depth > 6 || typeof error !== 'object' || error === null) return [];
  const record = error as Record<string, unknown>;
  const meta = record.meta as Record<string, unknown> | undefined;
  const nested = [record.cause, meta?.driverAdapterError, ...(Array.isArray(record.errors) ? record.errors : [])];
  return [record, ...nested.flatMap((inner) => causes(inner, depth + 1))];
}
