import pg from 'pg';
import { eventually } from './events.js';

/** A row inserted by a transaction that is still open. */
export interface OpenInsert {
  /** Resolves once another session waits on this transaction's row lock (its insert of the same key is blocked). */
  waitUntilSomeoneWaits(timeoutMs?: number): Promise<void>;
  /** Commits the row (the waiting insert then finds it) and closes the connection. Once; later calls do nothing. */
  commit(): Promise<void>;
}

/**
 * Stages a race on a unique key without timing: the row is inserted in a
 * transaction left open, so a service's `INSERT … ON CONFLICT DO NOTHING` of
 * the same key, after a look-up that found nothing, waits for this one and
 * learns only at `commit()` that it lost.
 */
export async function openInsert(url: string, statement: string, values: unknown[]): Promise<OpenInsert> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(statement, values);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  let committed = false;
  return {
    // Polled on a connection of its own: pg_stat_activity is a snapshot taken once per transaction.
    async waitUntilSomeoneWaits(timeoutMs = 15_000) {
      const observer = new pg.Client({ connectionString: url });
      await observer.connect();
      try {
        await eventually(
          async () => (await observer.query('SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))', [pid])).rowCount! > 0,
          timeoutMs,
          'a session waiting on the open insert',
        );
      } finally {
        await observer.end();
      }
    },
    async commit() {
      if (committed) return;
      committed = true;
      await client.query('COMMIT');
      await client.end();
    },
  };
}
