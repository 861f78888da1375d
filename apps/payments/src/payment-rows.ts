import type { Payment, PaymentStatus, SqlClient } from '#database';
import { canonicalUuid, inKeyOrder, rowsByUuid, type BatchQuery } from '#messaging';

/*
 * The statements payments runs for every order (payments.payments), in plain
 * SQL on SqlDatabase, for the reason orders-api's order-rows.ts gives. Rows
 * come back as Prisma's Payment type, so the services read them as before.
 * The BatchQueries serve every unit of work of a shared transaction in one
 * statement (see UnitOfWork).
 */

const TABLE = '"payments"."payments"';

const PAYMENT_COLUMNS = `id::text, order_id::text AS "orderId", amount_cents AS "amountCents", status,
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

/** The payments by id, for a batch (null: none). */
export const paymentsById = rowsByUuid<Payment>('payments by id', `SELECT ${PAYMENT_COLUMNS} FROM ${TABLE} WHERE id = ANY($1::uuid[])`, (row) => row.id);

/** The payment of each order, for a batch (null: none yet). */
export const paymentsOfOrders = rowsByUuid<Payment>(
  'payments of orders',
  `SELECT ${PAYMENT_COLUMNS} FROM ${TABLE} WHERE order_id = ANY($1::uuid[])`,
  (row) => row.orderId,
);

/**
 * Inserts each order's payment unless the order has one already (the unique
 * order id), in one statement: per input the new payment, or null when its
 * order had one. One statement where a look-up and an insert would take two,
 * and a concurrent delivery of the same event cannot fail on the constraint.
 */
export const insertPaymentsIfNone: BatchQuery<NewPayment, Payment | null> = {
  name: 'insert payments if none',
  async run(tx, payments) {
    const rows = await tx.$queryRawUnsafe<Payment[]>(
      `INSERT INTO ${TABLE} (id, order_id, amount_cents, status, cancel_requested_at, updated_at)
       SELECT id, order_id, amount_cents, status::"payments"."PaymentStatus", cancel_requested_at, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::timestamptz[]) AS p (id, order_id, amount_cents, status, cancel_requested_at)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING ${PAYMENT_COLUMNS}`,
      payments.map((p) => p.id),
      payments.map((p) => p.orderId),
      payments.map((p) => p.amountCents),
      payments.map((p) => p.status),
      payments.map((p) => p.cancelRequestedAt ?? null),
    );
    // By the new row's id, so only the input that won its order gets the row.
    return inKeyOrder(payments.map((p) => canonicalUuid(p.id)), rows, (row) => row.id, null);
  },
};

/** Column names and types of the fields a payment's steps change. */
const CHANGEABLE = {
  status: ['status', '"payments"."PaymentStatus"'],
  gatewayReference: ['gateway_reference', 'text'],
  declineReason: ['decline_reason', 'text'],
  cancelRequestedAt: ['cancel_requested_at', 'timestamptz'],
  refundReference: ['refund_reference', 'text'],
} as const;

type ChangeableField = keyof typeof CHANGEABLE;

export type PaymentChanges = Partial<Pick<Payment, ChangeableField>>;

/** A payment's version-checked change: the fields given are set (null included), the others kept. */
export interface PaymentChange {
  payment: Pick<Payment, 'id' | 'version'>;
  changes: PaymentChanges;
}

const FIELDS = Object.keys(CHANGEABLE) as ChangeableField[];

// Per field two arrays: whether the change sets it, and the value.
const CHANGE_SQL = `UPDATE ${TABLE} p
    SET ${FIELDS.map((field, i) => `${CHANGEABLE[field][0]} = CASE WHEN c.set_${i} THEN c.value_${i} ELSE p.${CHANGEABLE[field][0]} END`).join(', ')},
        version = p.version + 1, updated_at = now()
   FROM unnest($1::uuid[], $2::int[], ${FIELDS.map((field, i) => `$${3 + 2 * i}::boolean[], $${4 + 2 * i}::${CHANGEABLE[field][1]}[]`).join(', ')})
        AS c (id, version, ${FIELDS.map((_, i) => `set_${i}, value_${i}`).join(', ')})
  WHERE p.id = c.id AND p.version = c.version
  RETURNING p.id::text`;

/** Version-checked updates of payments, one statement for the batch: per change whether it applied (false: another writer changed the payment first). */
export const changePayments: BatchQuery<PaymentChange, boolean> = {
  name: 'change payments',
  async run(tx, changes) {
    const values: unknown[] = [changes.map((c) => c.payment.id), changes.map((c) => c.payment.version)];
    for (const field of FIELDS) {
      values.push(changes.map((c) => field in c.changes));
      values.push(changes.map((c) => c.changes[field] ?? null));
    }
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(CHANGE_SQL, ...values);
    const changed = new Set(rows.map((row) => row.id));
    return changes.map((c) => changed.has(canonicalUuid(c.payment.id)));
  },
};
