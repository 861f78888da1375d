import type { EventEnvelope } from '#contracts';
import { inboxTable, type ServiceSchema } from './service-schema.js';
import type { SqlClient } from '#database';

/**
 * Remembers which events each consumer has applied. Recording happens in the
 * same transaction as the effect, so "applied" and "recorded" cannot diverge.
 */
export class Inbox {
  private readonly table: string;

  constructor(schema: ServiceSchema) {
    this.table = inboxTable(schema);
  }

  /**
   * Records the event for the consumer. True the first time; false for a
   * redelivery, which is counted on the row instead. A concurrent delivery of
   * the same event waits on the row lock and then sees the committed row.
   */
  async recordFirstDelivery(tx: SqlClient, consumer: string, event: EventEnvelope): Promise<boolean> {
    const [row] = await tx.$queryRawUnsafe<Array<{ first: boolean }>>(
      `INSERT INTO ${this.table} AS inbox (consumer, event_id, event_type) VALUES ($1, $2::uuid, $3)
       ON CONFLICT (consumer, event_id) DO UPDATE SET duplicates = inbox.duplicates + 1
       RETURNING (xmax = 0) AS first`,
      consumer,
      event.id,
      event.type,
    );
    return row.first;
  }
}
