import type { BatchQuery } from '#messaging';

/*
 * The analytics service's writes, in plain SQL. Each is a BatchQuery: it
 * serves every unit of work of a batch in one statement (see UnitOfWork in
 * libs/messaging), so a batch of a hundred events costs one statement per
 * query, not a hundred.
 *
 * The read model is a set of facts, not counters: one row per order in
 * order_facts, where each event type sets only its own columns (orders.created
 * the customer, currency, total and time; payments.succeeded the amount paid;
 * and so on), plus the order's lines. An upsert that sets a column to the
 * event's value is the same whether it runs first, last or twice, so the
 * events of one order may arrive in any order across subjects and consumers
 * (payments.succeeded before orders.created, say), and every figure, computed
 * by SQL from these rows (analytics-figures.ts), is a function of the set of
 * events applied. The inbox in the same transaction keeps a redelivery from
 * even running. There is no read-decide-write here, so no write names a
 * version it read (DESIGN invariant 4 is about decisions on aggregates);
 * `version` still counts the changes of a row.
 */

const FACTS = '"analytics"."order_facts"';
const LINES = '"analytics"."order_fact_lines"';

/** One column an event sets, its PostgreSQL array type, and where its value comes from. */
interface FactColumn<T> {
  readonly column: string;
  readonly type: string;
  readonly value: (input: T) => unknown;
}

/**
 * The statement that records one event type's part of each order's fact row:
 * `INSERT ... SELECT FROM unnest(...) ON CONFLICT (order_id) DO UPDATE` the
 * event's own columns and nothing else.
 */
export function upsertFacts<T extends { orderId: string }>(name: string, columns: ReadonlyArray<FactColumn<T>>): BatchQuery<T, void> {
  const names = columns.map((c) => c.column);
  const arrays = ['$1::uuid[]', ...columns.map((c, i) => `$${i + 2}::${c.type}[]`)].join(', ');
  const sql =
    `INSERT INTO ${FACTS} (order_id, ${names.join(', ')})
     SELECT * FROM unnest(${arrays}) AS r (order_id, ${names.join(', ')})
     ON CONFLICT (order_id) DO UPDATE
        SET ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')},
            version = ${FACTS}.version + 1, updated_at = now()`;
  return {
    name,
    async run(tx, inputs) {
      // One row per order: two events of one order in one statement (two
      // copies under different event ids) would be refused by ON CONFLICT.
      const rows = [...new Map(inputs.map((i) => [i.orderId.toLowerCase(), i])).values()];
      await tx.$executeRawUnsafe(sql, rows.map((i) => i.orderId), ...columns.map((c) => rows.map(c.value)));
      return inputs.map(() => undefined);
    },
  };
}

export interface CreatedFact {
  orderId: string;
  customerId: string;
  currency: string;
  totalCents: number;
  createdAt: string;
}

export const recordCreated = upsertFacts<CreatedFact>('analytics: orders created', [
  { column: 'customer_id', type: 'text', value: (f) => f.customerId },
  { column: 'currency', type: 'text', value: (f) => f.currency },
  { column: 'total_cents', type: 'int', value: (f) => f.totalCents },
  { column: 'created_at', type: 'timestamptz', value: (f) => f.createdAt },
]);

export interface PaidFact {
  orderId: string;
  paidCents: number;
  paidAt: string;
}

export const recordPaid = upsertFacts<PaidFact>('analytics: payments succeeded', [
  { column: 'paid_cents', type: 'int', value: (f) => f.paidCents },
  { column: 'paid_at', type: 'timestamptz', value: (f) => f.paidAt },
]);

export interface RefundedFact {
  orderId: string;
  refundedCents: number;
  refundedAt: string;
}

export const recordRefunded = upsertFacts<RefundedFact>('analytics: payments refunded', [
  { column: 'refunded_cents', type: 'int', value: (f) => f.refundedCents },
  { column: 'refunded_at', type: 'timestamptz', value: (f) => f.refundedAt },
]);

export interface TimedFact {
  orderId: string;
  at: string;
}

export const recordFailed = upsertFacts<TimedFact>('analytics: payments failed', [
  { column: 'failed_at', type: 'timestamptz', value: (f) => f.at },
]);

export const recordRejected = upsertFacts<TimedFact>('analytics: orders rejected', [
  { column: 'rejected_at', type: 'timestamptz', value: (f) => f.at },
]);

export const recordCancelled = upsertFacts<TimedFact>('analytics: orders cancelled', [
  { column: 'cancelled_at', type: 'timestamptz', value: (f) => f.at },
]);

export interface FactLines {
  orderId: string;
  lines: ReadonlyArray<{ sku: string; quantity: number; lineTotalCents: number }>;
}

/** The lines of each order, numbered as they came; a line recorded already stays as it is. */
export const recordLines: BatchQuery<FactLines, void> = {
  name: 'analytics: order lines',
  async run(tx, inputs) {
    const rows = inputs.flatMap((input) => input.lines.map((line, lineNo) => ({ orderId: input.orderId, lineNo, ...line })));
    await tx.$executeRawUnsafe(
      `INSERT INTO ${LINES} (order_id, line_no, sku, quantity, line_total_cents)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[])
       ON CONFLICT (order_id, line_no) DO NOTHING`,
      rows.map((r) => r.orderId),
      rows.map((r) => r.lineNo),
      rows.map((r) => r.sku),
      rows.map((r) => r.quantity),
      rows.map((r) => r.lineTotalCents),
    );
    return inputs.map(() => undefined);
  },
};
