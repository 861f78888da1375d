import pg from 'pg';
import { InventoryReserved, type OrderState } from '#contracts';

/**
 * What the services recorded, read straight from their tables in one
 * go. Orders are read here rather than over HTTP so that the checks still
 * work while orders-api is down, and so that a few hundred orders with their
 * histories cost a few queries instead of hundreds of requests.
 */

export interface OrderFact {
  id: string;
  state: OrderState;
  version: number;
  failureReason: string | null;
  idempotencyKey: string | null;
  history: Array<{ from: OrderState | null; to: OrderState; version: number; reason: string | null; causationId: string }>;
}

export interface PaymentFact {
  id: string;
  status: string;
  declineReason: string | null;
}

export interface PipelineFacts {
  orders: Map<string, OrderFact>;
  paymentsByOrder: Map<string, PaymentFact[]>;
  shipmentsByOrder: Map<string, string[]>;
  /** The id of each order's inventory.reserved event, which payments charges on (its outbox row id = its Nats-Msg-Id). */
  reservedEventIds: Map<string, string>;
  /** Each order's lines as orders-api took them. */
  orderLines: Map<string, StockLine[]>;
  /** Every product's stock as inventory holds it now. */
  products: ProductStock[];
  /** Each order's reservation (one per order: order_id is unique). */
  reservations: Map<string, ReservationFact>;
  /** Redeliveries skipped by each consumer's inbox (sum of `duplicates`). */
  inboxDuplicates: Map<string, number>;
  /** (consumer, event id) pairs recorded more than once in an inbox: must be none. */
  repeatedInboxRows: string[];
  /** Outbox rows not yet marked published, per schema. */
  unpublished: Record<ServiceSchema, number>;
}

export interface StockLine {
  sku: string;
  quantity: number;
}

export interface ProductStock {
  sku: string;
  onHand: number;
  reserved: number;
}

export interface ReservationFact {
  id: string;
  status: string;
  lines: StockLine[];
}

/** Every schema with an outbox and an inbox. */
const SCHEMAS = ['orders', 'payments', 'shipments', 'inventory', 'analytics'] as const;
type ServiceSchema = (typeof SCHEMAS)[number];

export class PipelineDatabase {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    // The server may be restarted under us: a failed query is retried by the
    // callers' polling, and the pool replaces broken connections.
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    this.pool.on('error', () => undefined);
  }

  /** Accepted orders and how far they got: the cheap query polled while waiting. */
  async orderStates(): Promise<Map<string, OrderState>> {
    const { rows } = await this.pool.query<{ id: string; state: OrderState }>('SELECT id::text, state::text FROM orders.orders');
    return new Map(rows.map((row) => [row.id, row.state]));
  }

  /** Payments by status, e.g. { SUCCEEDED: 160, DECLINED: 40 }. */
  async paymentStatuses(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; n: string }>('SELECT status::text, count(*)::text AS n FROM payments.payments GROUP BY 1');
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /** Of these (consumer, event id) pairs, the ones whose consumer recorded the event in its inbox (applied it). */
  async appliedEvents(events: ReadonlyArray<{ consumer: string; eventId: string }>): Promise<Set<string>> {
    const asked = `unnest($1::text[], $2::uuid[]) AS asked (consumer, event_id)`;
    const { rows } = await this.pool.query<{ key: string }>(
      SCHEMAS.map(
        (schema) => `SELECT i.consumer || '/' || i.event_id::text AS key FROM ${schema}.inbox_events i JOIN ${asked} ON asked.consumer = i.consumer AND asked.event_id = i.event_id`,
      ).join(' UNION ALL '),
      [events.map((e) => e.consumer), events.map((e) => e.eventId)],
    );
    return new Set(rows.map((row) => row.key));
  }

  /** Every product's stock: read right after the pipeline started (restock included), it is what the run starts with. */
  async products(): Promise<ProductStock[]> {
    return this.query<ProductStock>('SELECT sku, on_hand AS "onHand", reserved FROM inventory.products ORDER BY sku');
  }

  async unpublishedOutboxRows(): Promise<number> {
    const counts = await Promise.all(
      SCHEMAS.map((schema) =>
        this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.outbox_events WHERE published_at IS NULL`),
      ),
    );
    return counts.reduce((sum, result) => sum + Number(result.rows[0]!.n), 0);
  }

  async facts(): Promise<PipelineFacts> {
    const orders = await this.pool.query<{ id: string; state: OrderState; version: number; failure_reason: string | null; idempotency_key: string | null }>(
      'SELECT id::text, state::text, version, failure_reason, idempotency_key FROM orders.orders',
    );
    const history = await this.pool.query<{ order_id: string; from_state: OrderState | null; to_state: OrderState; version: number; reason: string | null; causation_id: string }>(
      `SELECT order_id::text, from_state::text, to_state::text, version, reason, causation_id::text
         FROM orders.order_state_changes ORDER BY order_id, version, id`,
    );
    const payments = await this.pool.query<{ id: string; order_id: string; status: string; decline_reason: string | null }>(
      'SELECT id::text, order_id::text, status::text, decline_reason FROM payments.payments',
    );
    const shipments = await this.pool.query<{ order_id: string; status: string }>('SELECT order_id::text, status::text FROM shipments.shipments');
    const reserved = await this.pool.query<{ id: string; order_id: string }>(
      `SELECT id::text, envelope->'payload'->>'orderId' AS order_id FROM inventory.outbox_events WHERE type = $1`,
      [InventoryReserved.type],
    );
    const lines = await this.pool.query<StockLine & { order_id: string }>('SELECT order_id::text, sku, quantity FROM orders.order_lines ORDER BY order_id, position');
    const reservations = await this.pool.query<ReservationFact & { order_id: string }>('SELECT id::text, order_id::text, status::text, lines FROM inventory.reservations');
    const inboxUnion = SCHEMAS.map((schema) => `SELECT consumer, event_id, duplicates FROM ${schema}.inbox_events`).join(' UNION ALL ');
    const duplicates = await this.pool.query<{ consumer: string; duplicates: string }>(
      `SELECT consumer, sum(duplicates)::text AS duplicates FROM (${inboxUnion}) AS inbox GROUP BY consumer`,
    );
    const repeated = await this.pool.query<{ consumer: string; event_id: string; n: string }>(
      `SELECT consumer, event_id::text, count(*)::text AS n FROM (${inboxUnion}) AS inbox GROUP BY consumer, event_id HAVING count(*) > 1`,
    );
    const unpublished = await Promise.all(
      SCHEMAS.map(async (schema) => {
        const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.outbox_events WHERE published_at IS NULL`);
        return [schema, Number(rows[0]!.n)] as const;
      }),
    );

    const byOrder = new Map<string, OrderFact>();
    for (const row of orders.rows) {
      byOrder.set(row.id, {
        id: row.id,
        state: row.state,
        version: row.version,
        failureReason: row.failure_reason,
        idempotencyKey: row.idempotency_key,
        history: [],
      });
    }
    for (const row of history.rows) {
      byOrder.get(row.order_id)?.history.push({
        from: row.from_state,
        to: row.to_state,
        version: row.version,
        reason: row.reason,
        causationId: row.causation_id,
      });
    }
    return {
      orders: byOrder,
      paymentsByOrder: group(payments.rows, (row) => row.order_id, (row) => ({ id: row.id, status: row.status, declineReason: row.decline_reason })),
      shipmentsByOrder: group(shipments.rows, (row) => row.order_id, (row) => row.status),
      reservedEventIds: new Map(reserved.rows.map((row) => [row.order_id, row.id])),
      orderLines: group(lines.rows, (row) => row.order_id, (row) => ({ sku: row.sku, quantity: row.quantity })),
      products: await this.products(),
      reservations: new Map(reservations.rows.map((row) => [row.order_id, { id: row.id, status: row.status, lines: row.lines }])),
      inboxDuplicates: new Map(duplicates.rows.map((row) => [row.consumer, Number(row.duplicates)])),
      repeatedInboxRows: repeated.rows.map((row) => `${row.consumer} ${row.event_id} ×${row.n}`),
      unpublished: Object.fromEntries(unpublished) as PipelineFacts['unpublished'],
    };
  }

  /** Any read, for a check the facts above do not cover. */
  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function group<R, V>(rows: readonly R[], key: (row: R) => string, value: (row: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), value(row)]);
  return map;
}
