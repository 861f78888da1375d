import type { OrderState } from '#contracts';
import type { SqlClient } from '#messaging';

/*
 * The statements of orders-api's per-event path on orders.orders and
 * orders.order_state_changes, in plain SQL. Why not Prisma's query API:
 * Prisma 6.19's client engine plans every query anew in WebAssembly (it has
 * no plan cache) and maps every result, which the bench measured at about
 * half of orders-api's CPU per order; a raw statement skips both. Each
 * function runs one statement inside the caller's transaction.
 */

/** What a state transition needs to know about the order. */
export interface OrderStateRow {
  id: string;
  customerId: string;
  state: OrderState;
  version: number;
  failureReason: string | null;
}

export async function findOrderState(tx: SqlClient, orderId: string): Promise<OrderStateRow | null> {
  const [row] = await tx.$queryRawUnsafe<OrderStateRow[]>(
    `SELECT id, customer_id AS "customerId", state, version, failure_reason AS "failureReason"
       FROM "orders"."orders" WHERE id = $1::uuid`,
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

/**
 * Moves the order to its next state and version if it is still at the
 * expected version, and records the change in its history, in one statement.
 * Returns the number of orders changed: 0 means another writer won the race.
 */
export async function applyStateChange(tx: SqlClient, change: StateChange): Promise<number> {
  return tx.$executeRawUnsafe(
    `WITH updated AS (
       UPDATE "orders"."orders"
          SET state = $3::"orders"."OrderState", version = version + 1, failure_reason = $4, updated_at = now()
        WHERE id = $1::uuid AND version = $2::int
        RETURNING id, version
     )
     INSERT INTO "orders"."order_state_changes" (order_id, from_state, to_state, version, reason, causation_id)
     SELECT id, $5::"orders"."OrderState", $3::"orders"."OrderState", version, $6, $7::uuid FROM updated`,
    change.orderId,
    change.expectedVersion,
    change.to,
    change.failureReason,
    change.from,
    change.reason,
    change.causationId,
  );
}
