import type { OrderState } from '#contracts';
import type { SqlClient } from '#database';
import { canonicalUuid, inKeyOrder, rowsByUuid, type BatchQuery } from '#messaging';
import type { ShippingRequest } from './http/order-requests.js';

/*
 * The statements orders-api runs for every order and every event it applies
 * (orders.orders, order_lines, order_state_changes), in plain SQL. Why not
 * Prisma's query API: Prisma 6.19's client engine plans every query anew in
 * WebAssembly (it has no plan cache) and maps every result, which the bench
 * measured at about half of orders-api's CPU per order; a raw statement
 * skips both. Each function (or BatchQuery) runs one statement, in the
 * caller's transaction when given one.
 */

/** What a state transition needs to know about the order. */
export interface OrderStateRow {
  id: string;
  customerId: string;
  state: OrderState;
  version: number;
  failureReason: string | null;
}

/**
 * Locks the orders' rows for the rest of the transaction and reads their
 * state in the same statement, for every unit of work of the batch at once.
 * FOR UPDATE returns each row as the lock holder before us left it, so the
 * decision is made on the latest state; the rows are locked in id order, so
 * two batches locking overlapping orders cannot deadlock. Every transition of
 * an order takes this lock first: a parker is ordered after an applier (see
 * ApplyOrderEventService), and the version check still guards the update.
 */
export const lockOrderStates = rowsByUuid<OrderStateRow>(
  'lock order states',
  `SELECT id::text, customer_id AS "customerId", state, version, failure_reason AS "failureReason"
     FROM "orders"."orders" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
  (row) => row.id,
);

/** Who carries a dispatched order, its tracking number, and when it was dispatched (shipments.dispatched). */
export interface ShippingDetails {
  carrier: string | null;
  trackingNumber: string;
  /** ISO 8601. */
  shippedAt: string;
}

/** What a manual dispatch request needs to know about the order. */
export interface OrderDispatchRow {
  id: string;
  state: OrderState;
  trackingNumber: string | null;
  requestedTrackingNumber: string | null;
}

/** The orders' rows locked (as lockOrderStates does) with their shipping columns, for dispatch requests. */
export const lockOrdersForDispatch = rowsByUuid<OrderDispatchRow>(
  'lock orders for dispatch',
  `SELECT id::text, state, tracking_number AS "trackingNumber", requested_tracking_number AS "requestedTrackingNumber"
     FROM "orders"."orders" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
  (row) => row.id,
);

/** Records each order's requested tracking number, unless one is recorded already: whether it was. */
export const requestDispatches: BatchQuery<{ orderId: string; trackingNumber: string }, boolean> = {
  name: 'request dispatches',
  async run(tx, requests) {
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE "orders"."orders" o SET requested_tracking_number = r.tracking_number, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS r (order_id, tracking_number)
        WHERE o.id = r.order_id AND o.requested_tracking_number IS NULL
        RETURNING o.id::text`,
      requests.map((r) => r.orderId),
      requests.map((r) => r.trackingNumber),
    );
    const recorded = new Set(rows.map((row) => row.id));
    return requests.map((r) => recorded.has(canonicalUuid(r.orderId)));
  },
};

export interface StateChange {
  orderId: string;
  /** The version the decision was made on: the update applies only if the order is still there. */
  expectedVersion: number;
  from: OrderState;
  to: OrderState;
  failureReason: string | null;
  reason: string | null;
  causationId: string;
  /** Set with the change to SHIPPED; null leaves the order's shipping columns as they are. */
  shipping: ShippingDetails | null;
}

export interface StateChangeResult {
  /** False: another writer won the race, and the order is not at the expected version any more. */
  changed: boolean;
  /** Whether events wait in parked_events for this order (see ApplyOrderEventService). */
  hasParkedEvents: boolean;
}

/**
 * Moves each order to its next state and version if it is still at the
 * expected version, records the change in its history, and tells whether
 * events are parked for it: one statement for the whole batch. Run under the
 * orders' row locks (lockOrderStates), it sees every parked row committed
 * before the lock was granted; a later parker waits for the lock and decides
 * on the state this statement leaves. One change per order per statement
 * (an UPDATE touches a row once): a unit of work changes an order once per
 * turn, and a batch holds one unit per order.
 */
export const applyStateChanges: BatchQuery<StateChange, StateChangeResult> = {
  name: 'apply state changes',
  async run(tx, changes) {
    if (new Set(changes.map((change) => canonicalUuid(change.orderId))).size < changes.length) {
      throw new Error('applyStateChanges: two changes of one order in one statement');
    }
    const rows = await tx.$queryRawUnsafe<Array<StateChangeResult & { orderId: string }>>(
      `WITH change AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::"orders"."OrderState"[], $4::text[], $5::"orders"."OrderState"[], $6::text[], $7::uuid[],
                              $8::text[], $9::text[], $10::timestamptz[])
                AS c (order_id, expected_version, to_state, failure_reason, from_state, reason, causation_id, carrier, tracking_number, shipped_at)
       ), updated AS (
         UPDATE "orders"."orders" o
            SET state = c.to_state, version = o.version + 1, failure_reason = c.failure_reason, updated_at = now(),
                carrier = coalesce(c.carrier, o.carrier), tracking_number = coalesce(c.tracking_number, o.tracking_number),
                shipped_at = coalesce(c.shipped_at, o.shipped_at)
           FROM change c
          WHERE o.id = c.order_id AND o.version = c.expected_version
          RETURNING o.id, o.version
       ), history AS (
         INSERT INTO "orders"."order_state_changes" (order_id, from_state, to_state, version, reason, causation_id)
         SELECT u.id, c.from_state, c.to_state, u.version, c.reason, c.causation_id FROM updated u JOIN change c ON c.order_id = u.id
       )
       SELECT c.order_id::text AS "orderId", (u.id IS NOT NULL) AS changed,
              EXISTS (SELECT 1 FROM "orders"."parked_events" p WHERE p.order_id = c.order_id) AS "hasParkedEvents"
         FROM change c LEFT JOIN updated u ON u.id = c.order_id`,
      changes.map((change) => change.orderId),
      changes.map((change) => change.expectedVersion),
      changes.map((change) => change.to),
      changes.map((change) => change.failureReason),
      changes.map((change) => change.from),
      changes.map((change) => change.reason),
      changes.map((change) => change.causationId),
      changes.map((change) => change.shipping?.carrier ?? null),
      changes.map((change) => change.shipping?.trackingNumber ?? null),
      changes.map((change) => change.shipping?.shippedAt ?? null),
    );
    return inKeyOrder(changes.map((change) => canonicalUuid(change.orderId)), rows, (row) => row.orderId).map(({ changed, hasParkedEvents }) => ({ changed, hasParkedEvents }));
  },
};

/** A new order as create-order.service.ts priced it, with its first history entry's cause. */
export interface NewOrderRow {
  id: string;
  customerId: string;
  currency: string;
  totalCents: number;
  idempotencyKey: string | null;
  requestHash: string;
  correlationId: string;
  causationId: string;
  lines: ReadonlyArray<{ sku: string; quantity: number; unitPriceCents: number; lineTotalCents: number }>;
  /** Who receives the parcel and where (the jsonb `shipping` column); null when the customer gave none. */
  shipping: ShippingRequest | null;
}

/**
 * Inserts new orders in state CREATED at version 1, their lines in order,
 * and their first history entries: one statement for every order of a shared
 * transaction (group commit). A taken Idempotency-Key fails it with a unique
 * violation (isUniqueViolation in #database knows both forms); the shared
 * transaction then runs each order again alone, so only that request fails.
 */
export const insertOrders: BatchQuery<NewOrderRow, void> = {
  name: 'insert orders',
  async run(tx, orders) {
    const lines = orders.flatMap((order) => order.lines.map((line, position) => ({ orderId: order.id, position, ...line })));
    // The foreign keys of lines and history are checked at the end of the
    // statement, when the order rows are there.
    await tx.$executeRawUnsafe(
      `WITH new_orders AS (
         INSERT INTO "orders"."orders"
                (id, customer_id, state, currency, total_cents, idempotency_key, request_hash, correlation_id, shipping, updated_at)
         SELECT id, customer_id, 'CREATED', currency, total_cents, idempotency_key, request_hash, correlation_id, shipping::jsonb, now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::uuid[], $15::text[])
                AS o (id, customer_id, currency, total_cents, idempotency_key, request_hash, correlation_id, shipping)
       ), new_lines AS (
         INSERT INTO "orders"."order_lines" (order_id, position, sku, quantity, unit_price_cents, line_total_cents)
         SELECT * FROM unnest($9::uuid[], $10::int[], $11::text[], $12::int[], $13::int[], $14::int[])
       )
       INSERT INTO "orders"."order_state_changes" (order_id, from_state, to_state, version, causation_id)
       SELECT id, NULL, 'CREATED', 1, causation_id FROM unnest($1::uuid[], $8::uuid[]) AS h (id, causation_id)`,
      orders.map((o) => o.id),
      orders.map((o) => o.customerId),
      orders.map((o) => o.currency),
      orders.map((o) => o.totalCents),
      orders.map((o) => o.idempotencyKey),
      orders.map((o) => o.requestHash),
      orders.map((o) => o.correlationId),
      orders.map((o) => o.causationId),
      lines.map((l) => l.orderId),
      lines.map((l) => l.position),
      lines.map((l) => l.sku),
      lines.map((l) => l.quantity),
      lines.map((l) => l.unitPriceCents),
      lines.map((l) => l.lineTotalCents),
      // JSON text, cast to jsonb in the statement: NULL stays SQL NULL, not a JSON null.
      orders.map((o) => (o.shipping ? JSON.stringify(o.shipping) : null)),
    );
    return orders.map(() => undefined);
  },
};

/** The order an Idempotency-Key was first used for, with the hash of that request. */
export async function findByIdempotencyKey(
  db: SqlClient,
  key: string,
): Promise<{ id: string; requestHash: string | null } | null> {
  const [row] = await db.$queryRawUnsafe<Array<{ id: string; requestHash: string | null }>>(
    `SELECT id, request_hash AS "requestHash" FROM "orders"."orders" WHERE idempotency_key = $1`,
    key,
  );
  return row ?? null;
}
