import type { SqlClient } from '#database';
import type { OutboxBacklogSample } from '#metrics';
import { outboxTable, type ServiceSchema } from './service-schema.js';

/**
 * How far the relay is behind: the unpublished rows of one service's outbox
 * and the age of the oldest. One query on the (published_at, id) index,
 * which only reaches the unpublished rows.
 */
export class OutboxBacklog {
  private readonly table: string;

  constructor(
    private readonly db: SqlClient,
    readonly schema: ServiceSchema,
  ) {
    this.table = outboxTable(schema);
  }

  /** The sample the outbox gauges show, less the schema (the caller knows it). */
  async measure(): Promise<Omit<OutboxBacklogSample, 'schema'>> {
    const [row] = await this.db.$queryRawUnsafe<Array<{ unpublished: number; oldest_age_seconds: number }>>(
      `SELECT count(*)::int AS unpublished,
              coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
       FROM ${this.table} WHERE published_at IS NULL`,
    );
    return { unpublished: row.unpublished, oldestAgeSeconds: Math.max(0, row.oldest_age_seconds) };
  }
}
