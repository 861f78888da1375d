import type { PrismaService } from '#database';

/** A consumer and an event it was given: the question a dead letter asks of the consumer's inbox. */
export interface ConsumedEvent {
  consumer: string;
  eventId: string;
}

/** When the consumer applied it, from its inbox row. */
export interface AppliedEvent extends ConsumedEvent {
  appliedAt: Date;
}

/** How long a found set of inbox tables is trusted before it is looked up again (a new service adds one). */
const INBOX_TABLES_TTL_MS = 60_000;

/**
 * Tells which of the given events their consumers have applied, from the
 * consumers' inboxes: the record each service keeps, in the transaction of
 * the effect, of the events it applied (`<schema>.inbox_events`). A dead
 * letter whose event is there is no work left undone: another delivery of
 * the same event (a copy under a new msg id) applied it, or the delivery's
 * own last attempt recorded the failure it gave up with.
 *
 * Reads other services' inbox tables, which the dead-letter office owns no
 * more than any other service: read-only, by the one column pair every inbox
 * has, found in the catalog so a new service's inbox is included without
 * being listed here. Consumer names are unique across services, so at most
 * one inbox answers for a consumer.
 */
export class AppliedEvents {
  private tables?: { schemas: string[]; foundAt: number };

  constructor(private readonly prisma: PrismaService) {}

  async of(events: readonly ConsumedEvent[]): Promise<AppliedEvent[]> {
    if (events.length === 0) return [];
    const schemas = await this.inboxSchemas();
    if (schemas.length === 0) return [];
    const union = schemas
      .map(
        (schema) =>
          `SELECT i.consumer, i.event_id::text AS "eventId", i.processed_at AS "appliedAt" FROM ${quoteIdentifier(schema)}.inbox_events i
             JOIN asked ON asked.consumer = i.consumer AND asked.event_id = i.event_id`,
      )
      .join(' UNION ALL ');
    return this.prisma.$queryRawUnsafe<AppliedEvent[]>(
      `WITH asked AS (SELECT * FROM unnest($1::text[], $2::uuid[]) AS a (consumer, event_id)) ${union}`,
      events.map((event) => event.consumer),
      events.map((event) => event.eventId),
    );
  }

  private async inboxSchemas(): Promise<string[]> {
    if (this.tables && Date.now() - this.tables.foundAt < INBOX_TABLES_TTL_MS) return this.tables.schemas;
    const rows = await this.prisma.$queryRawUnsafe<Array<{ schema: string }>>(
      `SELECT table_schema::text AS schema FROM information_schema.tables WHERE table_name = 'inbox_events' ORDER BY 1`,
    );
    this.tables = { schemas: rows.map((row) => row.schema), foundAt: Date.now() };
    return this.tables.schemas;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The words a RESOLVED dead letter keeps: who applied its event, and when. */
export function appliedResolution(applied: AppliedEvent): string {
  return `applied: ${applied.consumer} recorded event ${applied.eventId} in its inbox at ${new Date(applied.appliedAt).toISOString()} (another delivery of the same event, or this delivery's last attempt recording its failure)`;
}
