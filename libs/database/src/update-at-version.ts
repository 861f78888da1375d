import type { SqlClient } from './sql-client.js';

/**
 * The optimistic-lock update every aggregate row uses: sets `changes`
 * (column name to value), bumps `version` and `updated_at`, and only if the
 * row is still at `version`. Returns the number of rows changed; 0 means
 * another writer won (see assertOneRowUpdated). Values go as untyped
 * parameters, which PostgreSQL types from their columns (enums included).
 */
export function updateAtVersion(
  tx: SqlClient,
  table: string,
  row: { id: string; version: number },
  changes: Record<string, unknown>,
): Promise<number> {
  const columns = Object.keys(changes);
  const assignments = columns.map((column, index) => `${column} = $${index + 3}`);
  return tx.$executeRawUnsafe(
    `UPDATE ${table} SET ${[...assignments, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1::uuid AND version = $2::int`,
    row.id,
    row.version,
    ...columns.map((column) => changes[column]),
  );
}
