import pg from 'pg';

/**
 * Read-only queries on the services' own tables: the API shows the orders
 * service's view, but "one payment per order" is a fact of the payments schema.
 */
export class PipelineDatabase {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }

  async paymentsOf(orderId: string): Promise<Array<{ id: string; status: string }>> {
    const { rows } = await this.pool.query<{ id: string; status: string }>(
      'SELECT id::text, status::text FROM payments.payments WHERE order_id = $1::uuid',
      [orderId],
    );
    return rows;
  }

  async shipmentsOf(orderId: string): Promise<Array<{ id: string; status: string; carrier: string | null; trackingNumber: string | null }>> {
    const { rows } = await this.pool.query<{ id: string; status: string; carrier: string | null; trackingNumber: string | null }>(
      'SELECT id::text, status::text, carrier, tracking_number AS "trackingNumber" FROM shipments.shipments WHERE order_id = $1::uuid',
      [orderId],
    );
    return rows;
  }

  /** Any read, for a check no method here covers. */
  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  async countPayments(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM payments.payments');
    return Number(rows[0]!.n);
  }

  /** How often the consumer recognised and skipped a redelivery of the event; undefined if never applied. */
  async paymentsInboxDuplicates(consumer: string, eventId: string): Promise<number | undefined> {
    return this.inboxDuplicates('payments', consumer, eventId);
  }

  /** How many redeliveries of `eventId` the inbox of `schema`'s service skipped for `consumer` (undefined: never applied). */
  async inboxDuplicates(schema: 'payments' | 'inventory', consumer: string, eventId: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ duplicates: number }>(
      `SELECT duplicates FROM ${schema}.inbox_events WHERE consumer = $1 AND event_id = $2::uuid`,
      [consumer, eventId],
    );
    return rows[0]?.duplicates;
  }

  async reservationsOf(orderId: string): Promise<Array<{ status: string; version: number }>> {
    const { rows } = await this.pool.query<{ status: string; version: number }>(
      'SELECT status::text, version FROM inventory.reservations WHERE order_id = $1::uuid',
      [orderId],
    );
    return rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
