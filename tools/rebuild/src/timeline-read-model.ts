import { Streams, consumersOf, subjectMatches, type StreamName } from '#contracts';
import { TIMELINE_TABLE, insertTimelineSql, timelineColumns, timelineEntry } from '../../../apps/orders-api/src/orders/timeline/order-timeline.js';
import type { ReadModel, RebuildContext, RebuildResult } from './read-model.js';
import { compareTables, inTransaction, replaceRows, sqlClientOf } from './sql-copy.js';
import { replayStreams } from './stream-replay.js';

const COPY = '"orders"."order_timeline_rebuild"';
const COLUMNS = ['event_id', 'order_id', 'type', 'schema_version', 'service', 'occurred_at', 'correlation_id', 'causation_id', 'trace_id'];
const INSERT_COPY = insertTimelineSql(COPY, { existingOrdersOnly: true });

/**
 * What orders-api puts on a timeline live: every event of its own stream, and
 * every event one of its consumers reads (not, say, inventory.updated, which
 * is about a product and shares the INVENTORY stream with the reservations).
 */
const ORDERS_API_CONSUMERS = consumersOf('orders-api');
const TIMELINE_STREAMS: StreamName[] = [...new Set<StreamName>(['ORDERS', ...ORDERS_API_CONSUMERS.map((c) => c.stream)])];
const onTimeline = (type: string): boolean =>
  Streams.ORDERS.subjects.some((filter) => subjectMatches(filter, type)) || ORDERS_API_CONSUMERS.some((c) => subjectMatches(c.filterSubject, type));

/**
 * The order timeline (orders.order_timeline) rebuilt from the streams
 * orders-api emits to or reads from, with the projection orders-api runs live
 * (timelineEntry, insertTimelineSql), into orders.order_timeline_rebuild.
 * Every pass starts from an empty copy, and a row per event id, so a rebuild
 * can be run again at any time. Rows are compared column by column except
 * recorded_at (when a row was written is not the event's).
 */
export const timelineReadModel: ReadModel = {
  name: 'timeline',
  description: `the orders' event timelines (orders.order_timeline), from the ${TIMELINE_STREAMS.join(', ')} streams`,
  async rebuild({ db, nats, onProgress }: RebuildContext, { replace }): Promise<RebuildResult> {
    await db.query(`DROP TABLE IF EXISTS ${COPY}`);
    await db.query(`CREATE TABLE ${COPY} (LIKE ${TIMELINE_TABLE} INCLUDING ALL)`);
    const progress = await replayStreams(
      nats,
      TIMELINE_STREAMS,
      async (events) => {
        const entries = events.filter(({ envelope }) => onTimeline(envelope.type)).map(({ envelope, traceId }) => timelineEntry(envelope, traceId));
        await db.query(INSERT_COPY, timelineColumns(entries));
      },
      onProgress,
    );
    const sql = sqlClientOf(db);
    const compared = await compareTables(sql, COPY, TIMELINE_TABLE, COLUMNS);
    if (replace) {
      // One transaction: readers see the old timeline or the new one, never none.
      await inTransaction(db, async () => {
        await db.query(`LOCK TABLE ${TIMELINE_TABLE} IN EXCLUSIVE MODE`);
        await replaceRows(sql, COPY, TIMELINE_TABLE, COLUMNS);
      });
    }
    return { ...compared, eventsRead: progress.read, replaced: replace };
  },
};
