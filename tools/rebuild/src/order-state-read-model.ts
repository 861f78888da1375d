import { Kvm, type KV } from '@nats-io/kv';
import { ORDER_STATE_BUCKET } from '#contracts';
import { orderStatePut } from '../../../apps/orders-api/src/order-state-cache/order-state-cache.js';
import { orderViewsById } from '../../../apps/orders-api/src/orders/order-views.js';
import { bucketEntries, compareMirrors, liveEntryOf, repairOf } from './mirror-entries.js';
import type { ReadModel, RebuildContext, RebuildResult } from './read-model.js';
import { inTransaction, sqlClientOf } from './sql-copy.js';

const COPY_BUCKET = `${ORDER_STATE_BUCKET}_rebuild`;
const ORDERS_TABLE = '"orders"."orders"';
/** Orders read, and puts in flight, at a time. */
const PAGE = 500;
/** Compare-and-set attempts for one key that the relay keeps changing under --replace. */
const REPAIR_ATTEMPTS = 5;

/**
 * The order-state KV mirror (bucket order_state) rebuilt from orders-api's
 * orders table, not from the streams. Its source of truth is that table:
 * every change of an order puts the order's whole view (GET
 * /api/v1/orders/:id: lines, state history, carrier and tracking number),
 * read in the transaction of the change, into the outbox, and the relay
 * publishes it as a KV put (KV_PUT_TYPE). The events on the streams carry
 * only what each step decided, not that view (the reasons of the history,
 * the timestamps orders-api sets), so a replay of them could not produce
 * it; the table, with its state history, is the durable copy the mirror is
 * derived from, and the view of each order is read from it with orders-api's
 * own statement (orderViewsById) and put as orders-api puts it
 * (orderStatePut). The mirror is then still not the only copy of a fact.
 *
 * The orders are read in one snapshot (REPEATABLE READ) into a fresh bucket,
 * order_state_rebuild, emptied on every pass, so a rebuild can be run again
 * at any time. The buckets are compared key by key on the order's state and
 * version. --replace makes the live bucket equal, key by key with
 * compare-and-set, so a put of the relay in between is never overwritten by
 * an older version (repairOf).
 */
export const orderStateReadModel: ReadModel = {
  name: 'order-state',
  description: `the last-known state of each order (KV bucket ${ORDER_STATE_BUCKET}), from orders-api's orders table`,
  reads: 'orders',
  holds: 'keys',
  async rebuild({ db, nats, onProgress }: RebuildContext, { replace }): Promise<RebuildResult> {
    const kvm = new Kvm(nats);
    const live = await kvm.open(ORDER_STATE_BUCKET);
    await (await kvm.open(COPY_BUCKET)).destroy().catch(() => undefined);
    const copy = await kvm.create(COPY_BUCKET, { history: 1 });
    const read = await copyOrders(db, copy, onProgress);

    const rebuiltEntries = await bucketEntries(copy);
    const liveEntries = await bucketEntries(live);
    const { onlyRebuilt, onlyLive } = compareMirrors(rebuiltEntries, liveEntries);
    if (replace) {
      const sql = sqlClientOf(db);
      const orderExists = async (id: string) =>
        (await sql.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${ORDERS_TABLE} WHERE id = $1::uuid`, id)).length > 0;
      for (const key of new Set([...onlyRebuilt, ...onlyLive])) await repair(key, rebuiltEntries.get(key), copy, live, orderExists);
    }
    return { rebuilt: rebuiltEntries.size, live: liveEntries.size, onlyRebuilt: onlyRebuilt.length, onlyLive: onlyLive.length, eventsRead: read, replaced: replace };
  },
};

/** Puts every order's view, as orders-api puts it, into `copy`; returns how many orders were read. */
async function copyOrders(db: RebuildContext['db'], copy: KV, onProgress: RebuildContext['onProgress']): Promise<number> {
  const sql = sqlClientOf(db);
  return inTransaction(db, async () => {
    await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const [{ total }] = await sql.$queryRawUnsafe<[{ total: number }]>(`SELECT count(*)::int AS total FROM ${ORDERS_TABLE}`);
    const progress = { total, read: 0 };
    onProgress(progress);
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const ids = (await sql.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id::text FROM ${ORDERS_TABLE} WHERE id > $1::uuid ORDER BY id LIMIT ${PAGE}`, after)).map((r) => r.id);
      if (ids.length === 0) return progress.read;
      const views = await orderViewsById.run(sql, ids);
      await Promise.all(
        views.flatMap((view) => {
          if (!view) return [];
          const put = orderStatePut(view);
          return [copy.put(put.key, JSON.stringify(put.value))];
        }),
      );
      progress.read += ids.length;
      onProgress(progress);
      after = ids.at(-1)!;
    }
  });
}

/**
 * Makes one live key what the rebuild says, unless the live entry is newer:
 * each decision is taken on the key's entry as it is now and written with
 * compare-and-set on that entry's revision, so a put of the relay that lands
 * in between makes the write fail, and the decision is taken again.
 */
async function repair(key: string, rebuilt: Parameters<typeof repairOf>[0], copy: KV, live: KV, orderExists: (id: string) => Promise<boolean>): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < REPAIR_ATTEMPTS; attempt++) {
    const current = await live.get(key);
    const action = repairOf(rebuilt, liveEntryOf(current));
    try {
      if (action === 'put') {
        const value = (await copy.get(key))!.value;
        if (current) await live.update(key, value, current.revision);
        else await live.create(key, value);
      } else if (action === 'delete') {
        // Not in the rebuild's snapshot; an order placed since has a newer put of its own.
        if (!(await orderExists(key))) await live.delete(key, { previousSeq: current!.revision });
      }
      return;
    } catch (error) {
      lastError = error; // the entry changed since it was read: read it again
    }
  }
  throw new Error(`order-state: key ${key} kept changing during --replace`, { cause: lastError });
}
