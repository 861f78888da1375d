import type { SqlClient } from '#database';

/**
 * One set-based statement that answers many callers at once: given the
 * inputs that units of work asked for during one turn of the event loop, it
 * runs once and returns one result per input, in the same order.
 *
 * A read (`SELECT ... WHERE id = ANY($1)`) and a write
 * (`UPDATE ... FROM unnest($1, $2) ...`) have the same shape; the unit of
 * work tells them apart only to know whether a failing unit left effects
 * behind (see UnitOfWork.write).
 */
export interface BatchQuery<In, Out> {
  /** For operator messages and metrics; also the key its batches are grouped by. */
  readonly name: string;
  run(tx: SqlClient, inputs: readonly In[]): Promise<readonly Out[]>;
}

/**
 * The rows a keyed read returned, put back in the order of the keys asked
 * (a key asked twice gets the same row; a key with no row gets `missing`).
 */
export function inKeyOrder<K, Row>(keys: readonly K[], rows: readonly Row[], keyOf: (row: Row) => K): Row[];
export function inKeyOrder<K, Row, M>(keys: readonly K[], rows: readonly Row[], keyOf: (row: Row) => K, missing: M): Array<Row | M>;
export function inKeyOrder<K, Row, M>(keys: readonly K[], rows: readonly Row[], keyOf: (row: Row) => K, missing?: M): Array<Row | M | undefined> {
  const byKey = new Map<K, Row>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? missing);
}


/** A uuid as PostgreSQL prints it (`id::text`): the form to match returned rows to the keys asked. */
export function canonicalUuid(id: string): string {
  return id.toLowerCase();
}

/**
 * The common read: rows by a uuid key, for every unit asking at once.
 * `sql` selects with `... = ANY($1::uuid[])` (and may lock, `FOR UPDATE`);
 * each key gets its row, or null when there is none.
 */
export function rowsByUuid<Row>(name: string, sql: string, keyOf: (row: Row) => string): BatchQuery<string, Row | null> {
  return {
    name,
    async run(db, keys) {
      const rows = await db.$queryRawUnsafe<Row[]>(sql, keys);
      return inKeyOrder(keys.map(canonicalUuid), rows, keyOf, null);
    },
  };
}
