import { updateAtVersion, type Payment, type PaymentStatus, type SqlClient } from '#database';

/*
 * The statements payments runs for every order (payments.payments), in plain
 * SQL on SqlDatabase, for the reason orders-api's order-rows.ts gives. Rows
 * come back as Prisma's Payment type, so the services read them as before.
 */

const TABLE = '"payments"."payments"';

const PAYMENT_COLUMNS = `id, order_id AS "orderId", amount_cents AS "amountCents", status,
  gateway_reference AS "gatewayReference", decline_reason AS "declineReason",
  cancel_requested_at AS "cancelRequestedAt", refund_reference AS "refundReference",
  version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function findPayment(db: SqlClient, paymentId: string): Promise<Payment> {
  const [payment] = await db.$queryRawUnsafe<Payment[]>(`SELECT ${PAYMENT_COLUMNS} FROM ${TABLE} WHERE id = $1::uuid`, paymentId);
  if (!payment) throw new Error(`payment ${paymentId} not found`);
  return payment;
}

export async function findPaymentOfOrder(db: SqlClient, orderId: string): Promise<Payment | null> {
  const [payment] = await db.$queryRawUnsafe<Payment[]>(`SELECT ${PAYMENT_COLUMNS} FROM ${TABLE} WHERE order_id = $1::uuid`, orderId);
  return payment ?? null;
}

export interface NewPayment {
  id: string;
  orderId: string;
  amountCents: number;
  status: PaymentStatus;
  cancelRequestedAt?: Date | null;
}

/**
 * Inserts the order's payment unless the order has one already (the unique
 * order id). Returns the new payment, or null when there was one: one
 * statement where a look-up and an insert would take two, and a concurrent
 * delivery of the same event cannot fail on the constraint.
 */
export async function insertPaymentIfNone(tx: SqlClient, payment: NewPayment): Promise<Payment | null> {
  const [inserted] = await tx.$queryRawUnsafe<Payment[]>(
    `INSERT INTO ${TABLE} (id, order_id, amount_cents, status, cancel_requested_at, updated_at)
     VALUES ($1::uuid, $2::uuid, $3::int, $4, $5, now())
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${PAYMENT_COLUMNS}`,
    payment.id,
    payment.orderId,
    payment.amountCents,
    payment.status,
    payment.cancelRequestedAt ?? null,
  );
  return inserted ?? null;
}

/** Column names of the fields a payment's steps change. */
const CHANGEABLE = {
  status: 'status',
  gatewayReference: 'gateway_reference',
  declineReason: 'decline_reason',
  cancelRequestedAt: 'cancel_requested_at',
  refundReference: 'refund_reference',
} as const;

export type PaymentChanges = Partial<Pick<Payment, keyof typeof CHANGEABLE>>;

/** Version-checked update of one payment; 0 when another writer changed it first. */
export function updatePayment(tx: SqlClient, payment: Pick<Payment, 'id' | 'version'>, changes: PaymentChanges): Promise<number> {
  const columns = Object.fromEntries(
    Object.entries(changes).map(([field, value]) => [CHANGEABLE[field as keyof typeof CHANGEABLE], value]),
  );
  return updateAtVersion(tx, TABLE, payment, columns);
}
