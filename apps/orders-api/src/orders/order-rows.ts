import type { OrderState } from '#contracts';
import type { SqlClient } from '#database';

/*
 * The statements orders-api runs for every order and every event it applies
 * (orders.orders, order_lines, order_state_changes), in plain SQL. Why not
 * Prisma's query API: Prisma 6.19's client engine plans every query anew in
 * WebAssembly (it has no plan cache) and maps every result, which the bench
 * measured at about half of orders-api's CPU per order; a raw statement
 * skips both. Each function runs one statement, in the caller's transaction
 * when given one.
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
 * Locks the order's row for the rest of the transaction and reads its state
 * in the same statement. FOR UPDATE returns the row as the lock holder before
 * us left it, so the decision is made on the latest state. Every transition
 * of an order takes this lock first: a parker is ordered after an applier
 * (see ApplyOrderEventService), and the version check still guards the update.
 */
export async function lockOrderState(tx: SqlClient, orderId: string): Promise<OrderStateRow | null> {
  const [row] = await tx.$queryRawUnsafe<OrderStateRow[]>(
    `SELECT id, customer_id AS "customerId", state, version, failure_reason AS "failureReason"
       FROM "orders"."orders" WHERE id = $1::uuid FOR UPDATE`,
    orderId,
  );
  return row ?? null;
}

export interface StateChange {
  orderId: string;
  /** The version the decision was made on: the update applies only if the order is still there. */
  expectedVersion: number;
  from: OrderState;
  to: OrderState;
  failureReason: string | null;
  reason: string | null;
  causationId: string;
}

export interface StateChangeResult {
  /** Orders changed: 0 means another writer won the race. */
  changed: number;
  /** Whether events wait in parked_events for this order (see ApplyOrderEventService). */
  hasParkedEvents: boolean;
}

/**
 * Moves the order to its next state and version if it is still at the
 * expected version, records the change in its history, and tells whether
 * events are parked for the order, in one statement. Run under the order's
 * row lock (lockOrderState), it sees every parked row committed before the
 * lock was granted; a later parker waits for the lock and decides on the
 * state this statement leaves.
 */
export async function applyStateChange(tx: SqlClient, change: StateChange): Promise<StateChangeResult> {
  const [result] = await tx.$queryRawUnsafe<StateChangeResult[]>(
    `WITH updated AS (
       UPDATE "orders"."orders"
          SET state = $3::"orders"."OrderState", version = version + 1, failure_reason = $4, updated_at = now()
        WHERE id = $1::uuid AND version = $2::int
        RETURNING id, version
     ), history AS (
       INSERT INTO "orders"."order_state_changes" (order_id, from_state, to_state, version, reason, causation_id)
       SELECT id, $5::"orders"."OrderState", $3::"orders"."OrderState", version, $6, $7::uuid FROM updated
     )
     SELECT (SELECT count(*) FROM updated)::int AS changed,
            EXISTS (SELECT 1 FROM "orders"."parked_events" WHERE order_id = $1::uuid) AS "hasParkedEvents"`,
    change.orderId,
    change.expectedVersion,
    change.to,
    change.failureReason,
    change.from,
    change.reason,
    change.causationId,
  );
  return result;
}

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
}

/**
 * Inserts the order in state CREATED at version 1, its lines in order, and
 * its first history entry, in one statement. A taken Idempotency-Key fails it
 * with a unique violation (isUniqueViolation in #database knows both forms).
 */
export async function insertOrder(tx: SqlClient, order: NewOrderRow): Promise<void> {
  const values: unknown[] = [
    order.id,
    order.customerId,
    order.currency,
    order.totalCents,
    order.idempotencyKey,
    order.requestHash,
    order.correlationId,
    order.causationId,
  ];
  const lines = order.lines.map((line, position) => {
    values.push(position, line.sku, line.quantity, line.unitPriceCents, line.lineTotalCents);
    const n = values.length;
    return `($1::uuid, $${n - 4}::int, $${n - 3}, $${n - 2}::int, $${n - 1}::int, $${n}::int)`;
  });
  // The foreign keys of lines and history are checked at the end of the
  // statement, when the order row is there.
  await tx.$executeRawUnsafe(
    `WITH new_order AS (
       INSERT INTO "orders"."orders"
              (id, customer_id, state, currency, total_cents, idempotency_key, request_hash, correlation_id, updated_at)
       VALUES ($1::uuid, $2, 'CREATED', $3, $4::int, $5, $6, $7::uuid, now())
     ), new_lines AS (
       INSERT INTO "orders"."order_lines" (order_id, position, sku, quantity, unit_price_cents, line_total_cents)
       VALUES ${lines.join(', ')}
     )
     INSERT INTO "orders"."order_state_changes" (order_id, from_state, to_state, version, causation_id)
     VALUES ($1::uuid, NULL, 'CREATED', 1, $8::uuid)`,
    ...values,
  );
}

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
