import type pg from 'pg';
import type { SqlClient } from '#database';

/** Plain SQL on one pg connection, as the services' row modules take it (SqlClient): their statements run here unchanged. */
export function sqlClientOf(db: Pick<pg.Client, 'query'>): SqlClient {
  return {
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await db.query(query, values)).rowCount ?? 0;
    },
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      return (await db.query(query, values)).rows as T;
    },
  };
}

/**
 * A SqlClient that runs statements written for the tables of `schema` on the
 * tables of the same names in `copy`: every `"schema".` becomes `"copy".`.
 * So a rebuild applies a service's own write statements to a fresh copy of
 * its read model, without a second copy of them nor a table-name parameter
 * in the service. A statement that still names `schema` some other way
 * (unquoted, say) is refused rather than run: a change in how the service
 * spells its tables fails the rebuild instead of writing the live tables.
 */
export function redirectedToSchema(db: SqlClient, schema: string, copy: string): SqlClient {
  const quoted = `"${schema}".`;
  const stillLive = new RegExp(`(^|[^\\w"])"?${schema}"?\\s*\\.`, 'i');
  const redirect = (query: string): string => {
    const redirected = query.replaceAll(quoted, `"${copy}".`);
    if (stillLive.test(redirected)) throw new Error(`refusing to run on the live "${schema}" schema: ${query.trim().slice(0, 200)}`);
    return redirected;
  };
  return {
    $executeRawUnsafe: async (query, ...values) => db.$executeRawUnsafe(redirect(query), ...values),
    $queryRawUnsafe: async (query, ...values) => db.$queryRawUnsafe(redirect(query), ...values),
  };
}

/** The columns of a table, in their order, less `except` (bookkeeping a comparison leaves out). */
export async function columnsOf(db: SqlClient, schema: string, table: string, except: readonly string[] = []): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ column_name: string }>>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    schema,
    table,
  );
  if (rows.length === 0) throw new Error(`no table ${schema}.${table}`);
  return rows.map((r) => r.column_name).filter((c) => !except.includes(c));
}

export interface TableDifference {
  rebuilt: number;
  live: number;
  onlyRebuilt: number;
  onlyLive: number;
}

/** Rows of `copy` and `live` and how many of each have no equal row (on `columns`) in the other. */
export async function compareTables(db: SqlClient, copy: string, live: string, columns: readonly string[]): Promise<TableDifference> {
  const list = columns.map((c) => `"${c}"`).join(', ');
  const [row] = await db.$queryRawUnsafe<TableDifference[]>(
    `SELECT (SELECT count(*)::int FROM ${copy}) AS rebuilt, (SELECT count(*)::int FROM ${live}) AS live,
            (SELECT count(*)::int FROM (SELECT ${list} FROM ${copy} EXCEPT ALL SELECT ${list} FROM ${live}) d) AS "onlyRebuilt",
            (SELECT count(*)::int FROM (SELECT ${list} FROM ${live} EXCEPT ALL SELECT ${list} FROM ${copy}) d) AS "onlyLive"`,
  );
  return row!;
}

/** Runs `fn` in one transaction on `db`: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(db: Pick<pg.Client, 'query'>, fn: () => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    const result = await fn();
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Makes `live` hold exactly the rows of `copy` (on `columns`; the others take their defaults). Run it in the transaction that locked `live`. */
export async function replaceRows(db: SqlClient, copy: string, live: string, columns: readonly string[]): Promise<void> {
  const list = columns.map((c) => `"${c}"`).join(', ');
  await db.$executeRawUnsafe(`DELETE FROM ${live}`);
  await db.$executeRawUnsafe(`INSERT INTO ${live} (${list}) SELECT ${list} FROM ${copy}`);
}
