import { randomUUID } from 'node:crypto';
import type { SqlClient } from '#database';

/** Writes a PENDING payment of 100 cents for `orderId` (one per order: the unique order id); returns its id. */
export async function insertPendingPayment(tx: SqlClient, orderId: string = randomUUID()): Promise<string> {
  const id = randomUUID();
  await tx.$executeRawUnsafe(
    `INSERT INTO "payments"."payments" (id, order_id, amount_cents, status, updated_at) VALUES ($1::uuid, $2::uuid, 100, 'PENDING', now())`,
    id,
    orderId,
  );
  return id;
}
