import { consumersOf, subjectMatches, type StreamName } from '#contracts';
import type { SqlClient } from '#database';
import type { BatchQuery } from '#messaging';
import { factWrites, type FactWrite, type OrderFactEvent } from '../../../apps/analytics/src/update-order-fact/order-fact-writes.js';
import type { ReadModel, RebuildContext, RebuildResult } from './read-model.js';
import { columnsOf, compareTables, inTransaction, redirectedToSchema, replaceRows, sqlClientOf, type TableDifference } from './sql-copy.js';
import { replayStreams, type ReplayedEvent } from './stream-replay.js';

const LIVE_SCHEMA = 'analytics';
const COPY_SCHEMA = 'analytics_rebuild';
/**
 * The tables of analytics' read model. Its inbox and outbox are bookkeeping
 * of the live consumers, not facts, and stay as they are. A statement of
 * analytics on a table not listed here fails on the copy (no such table),
 * so a new table cannot be silently left out.
 */
const FACT_TABLES = ['order_facts', 'order_fact_lines'] as const;
/** Bookkeeping of the writes, not facts: how many events touched a row and when the last did. */
const WRITE_BOOKKEEPING = ['version', 'updated_at'];

/**
 * What analytics reads: the subjects of its durable consumers, from their
 * streams. Derived from the contracts, so a consumer added there is replayed
 * here too.
 */
const ANALYTICS_CONSUMERS = consumersOf('analytics');
const ANALYTICS_STREAMS: StreamName[] = [...new Set(ANALYTICS_CONSUMERS.map((c) => c.stream))];
const readByAnalytics = (type: string): boolean => ANALYTICS_CONSUMERS.some((c) => subjectMatches(c.filterSubject, type));

/** The writes of a batch of fact writes, one run per statement with every input of the batch (as analytics' unit of work runs them). */
export function writesByQuery(writes: readonly FactWrite[]): Array<{ query: BatchQuery<unknown, void>; inputs: unknown[] }> {
  const byQuery = new Map<BatchQuery<unknown, void>, unknown[]>();
  for (const { query, input } of writes) {
    const inputs = byQuery.get(query) ?? [];
    inputs.push(input);
    byQuery.set(query, inputs);
  }
  return [...byQuery].map(([query, inputs]) => ({ query, inputs }));
}

/** Applies the events analytics reads to the copy, with analytics' own writes (factWrites, analytics-rows.ts). */
async function applyToCopy(copy: SqlClient, events: readonly ReplayedEvent[]): Promise<void> {
  const writes = events.filter(({ envelope }) => readByAnalytics(envelope.type)).flatMap(({ envelope }) => factWrites(envelope as OrderFactEvent));
  for (const { query, inputs } of writesByQuery(writes)) await query.run(copy, inputs);
}

const table = (schema: string, name: string): string => `"${schema}"."${name}"`;

/**
 * The analytics tables (analytics.order_facts, analytics.order_fact_lines)
 * rebuilt from the subjects analytics' durable consumers read, from the
 * start of their streams, with analytics' own write statements redirected
 * to a fresh copy of its tables in the schema analytics_rebuild. Every pass
 * starts from empty tables, and every write is an upsert that sets an
 * event's own columns, so a rebuild can be run again at any time and gives
 * the same copy. Rows are compared on every column except version and
 * updated_at (how often and when a row was written, not what it says).
 *
 * --replace swaps the copy in, in one transaction that first locks the live
 * tables against analytics' consumers and replays into the copy what reached
 * the streams since the replay: every event analytics applied before the
 * lock is then in the copy, and those it applies after find their rows.
 */
export const analyticsReadModel: ReadModel = {
  name: 'analytics',
  description: `the analytics facts (${FACT_TABLES.map((t) => `${LIVE_SCHEMA}.${t}`).join(', ')}), from ${ANALYTICS_CONSUMERS.map((c) => c.filterSubject).join(', ')}`,
  async rebuild({ db, nats, onProgress }: RebuildContext, { replace }): Promise<RebuildResult> {
    const sql = sqlClientOf(db);
    const copy = redirectedToSchema(sql, LIVE_SCHEMA, COPY_SCHEMA);
    await db.query(`CREATE SCHEMA IF NOT EXISTS "${COPY_SCHEMA}"`);
    for (const name of FACT_TABLES) {
      await db.query(`DROP TABLE IF EXISTS ${table(COPY_SCHEMA, name)}`);
      await db.query(`CREATE TABLE ${table(COPY_SCHEMA, name)} (LIKE ${table(LIVE_SCHEMA, name)} INCLUDING ALL)`);
    }
    const replay = await replayStreams(nats, ANALYTICS_STREAMS, (events) => applyToCopy(copy, events), onProgress);

    const compared = { rebuilt: 0, live: 0, onlyRebuilt: 0, onlyLive: 0 } satisfies TableDifference;
    for (const name of FACT_TABLES) {
      const columns = await columnsOf(sql, LIVE_SCHEMA, name, WRITE_BOOKKEEPING);
      const difference = await compareTables(sql, table(COPY_SCHEMA, name), table(LIVE_SCHEMA, name), columns);
      for (const key of Object.keys(compared) as Array<keyof TableDifference>) compared[key] += difference[key];
    }
    if (replace) {
      await inTransaction(db, async () => {
        await db.query(`LOCK TABLE ${FACT_TABLES.map((t) => table(LIVE_SCHEMA, t)).join(', ')} IN EXCLUSIVE MODE`);
        await replayStreams(nats, ANALYTICS_STREAMS, (events) => applyToCopy(copy, events), undefined, { after: replay.upTo });
        for (const name of FACT_TABLES) {
          await replaceRows(sql, table(COPY_SCHEMA, name), table(LIVE_SCHEMA, name), await columnsOf(sql, LIVE_SCHEMA, name));
        }
      });
    }
    return { ...compared, eventsRead: replay.read, replaced: replace };
  },
};
