import pg from 'pg';

/**
 * Read-only access to the services' tables, to tell whether hostile input
 * wrote anything: row counts of every table of the services' schemas (found
 * in the catalog, so a table added later is counted too), the aggregates with
 * their versions, and the events each service published (outbox) and
 * applied (inbox).
 */

/** The schemas the services that emit events own; dead letters are the dead-letter office's, and are checked on their own. */
export const SERVICE_SCHEMAS = ['orders', 'inventory', 'payments', 'shipments'] as const;

/** An aggregate row as far as "was it changed": its state and the version every update raises. */
export interface AggregateRow {
  id: string;
  orderId: string;
  status: string;
  version: number;
}

export interface AggregateSnapshot {
  /** Orders by id; `history` counts its recorded state changes. */
  orders: Map<string, AggregateRow & { history: number }>;
  payments: Map<string, AggregateRow>;
  shipments: Map<string, AggregateRow>;
}

export interface EventLedger {
  /**
   * Everything any service wrote to its outbox: its events, and the KV puts
   * of the order mirror (published on the bucket's subject); `orderId` is the
   * order each is about.
   */
  published: Array<{ id: string; subject: string; type: string; orderId: string | null; publishedAt: Date | null }>;
  /** Every event any consumer recorded as applied. */
  applied: Array<{ consumer: string; eventId: string }>;
}

export class ServiceTables {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    this.pool.on('error', () => undefined);
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /** Rows per table, keyed `schema.table`, over every table of the services' schemas. */
  async rowCounts(): Promise<Record<string, number>> {
    const tables = await this.query<{ name: string }>(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
        WHERE table_schema = ANY($1::text[]) AND table_type = 'BASE TABLE' ORDER BY 1`,
      [[...SERVICE_SCHEMAS]],
    );
    if (tables.length === 0) return {};
    const counts = await this.query<{ name: string; n: string }>(
      tables.map(({ name }) => `SELECT '${name.replaceAll("'", "''")}' AS name, count(*)::text AS n FROM ${name}`).join(' UNION ALL '),
    );
    return Object.fromEntries(counts.map((row) => [row.name.replaceAll('"', ''), Number(row.n)]));
  }

  async aggregates(): Promise<AggregateSnapshot> {
    const [orders, payments, shipments] = await Promise.all([
      this.query<AggregateRow & { history: number }>(
        `SELECT o.id::text, o.id::text AS "orderId", o.state::text AS status, o.version,
                (SELECT count(*)::int FROM orders.order_state_changes c WHERE c.order_id = o.id) AS history
           FROM orders.orders o`,
      ),
      this.query<AggregateRow>('SELECT id::text, order_id::text AS "orderId", status::text AS status, version FROM payments.payments'),
      this.query<AggregateRow>('SELECT id::text, order_id::text AS "orderId", status::text AS status, version FROM shipments.shipments'),
    ]);
    const byId = <R extends AggregateRow>(rows: R[]) => new Map(rows.map((row) => [row.id, row]));
    return { orders: byId(orders), payments: byId(payments), shipments: byId(shipments) };
  }

  async events(): Promise<EventLedger> {
    const outboxes = SERVICE_SCHEMAS.map((schema) => `SELECT id::text, subject, type, COALESCE(envelope->'payload'->>'orderId', CASE WHEN envelope->'payload' ? 'sku' THEN NULL ELSE aggregate_id::text END) AS "orderId", published_at AS "publishedAt" FROM ${schema}.outbox_events`);
    const inboxes = SERVICE_SCHEMAS.map((schema) => `SELECT consumer, event_id::text AS "eventId" FROM ${schema}.inbox_events`);
    const [published, applied] = await Promise.all([
      this.query<EventLedger['published'][number]>(outboxes.join(' UNION ALL ')),
      this.query<EventLedger['applied'][number]>(inboxes.join(' UNION ALL ')),
    ]);
    return { published, applied };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
