import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import { duplicatesSkipped } from '#metrics';
import { logEvent } from '#telemetry';
import { inboxTable, type ServiceSchema } from './service-schema.js';
import { canonicalUuid, type BatchQuery } from './unit-of-work/batch-query.js';

/** An event as one consumer received it. */
export interface ReceivedEvent {
  consumer: string;
  event: EventEnvelope;
}

/**
 * Remembers which events each consumer has applied. Recording happens in the
 * same transaction as the effect, so "applied" and "recorded" cannot diverge.
 */
export class Inbox {
  /**
   * Records each event for its consumer, for a whole batch in one statement:
   * true the first time; false for a redelivery, which is counted on the row
   * instead. A concurrent delivery of the same event waits on the row lock
   * and then sees the committed row. A second copy of an event in the same
   * batch is a duplicate of the first (one statement may not touch a row
   * twice), counted as one too.
   */
  readonly firstDeliveries: BatchQuery<ReceivedEvent, boolean>;

  /** Takes back the records of events whose unit of work was left out of a shared commit, so they are applied when redelivered. */
  readonly forgetting: BatchQuery<ReceivedEvent, void>;

  /**
   * Whether each event is recorded for its consumer already (applied by this
   * or another delivery of it); when it is, this delivery is counted on the
   * row as a duplicate, as recording it again would. Nothing is recorded for
   * an event not applied yet.
   */
  readonly appliedBefore: BatchQuery<ReceivedEvent, boolean>;

  private readonly logger = new Logger('Inbox');

  constructor(schema: ServiceSchema) {
    const table = inboxTable(schema);
    // `copies`: deliveries of the id in this batch beyond the first.
    const recordSql = `INSERT INTO ${table} AS inbox (consumer, event_id, event_type, duplicates)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::int[]) AS event (consumer, event_id, event_type, copies)
       ON CONFLICT (consumer, event_id) DO UPDATE SET duplicates = inbox.duplicates + 1 + excluded.duplicates
       RETURNING consumer, event_id::text AS "eventId", (xmax = 0) AS first`;
    this.firstDeliveries = {
      name: 'inbox records',
      run: async (tx, received) => {
        const unique = new Map<string, { consumer: string; id: string; type: string; copies: number }>();
        for (const { consumer, event } of received) {
          const key = keyOf(consumer, event.id);
          const seen = unique.get(key);
          if (seen) seen.copies += 1;
          else unique.set(key, { consumer, id: canonicalUuid(event.id), type: event.type, copies: 0 });
        }
        // Sorted, so that two batches holding the same events (twins on two replicas) lock their rows in one order.
        const rows = [...unique.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.consumer < b.consumer ? -1 : 1));
        const answers = await tx.$queryRawUnsafe<Array<{ consumer: string; eventId: string; first: boolean }>>(
          recordSql,
          rows.map((row) => row.consumer),
          rows.map((row) => row.id),
          rows.map((row) => row.type),
          rows.map((row) => row.copies),
        );
        const firsts = new Set(answers.filter((answer) => answer.first).map((answer) => keyOf(answer.consumer, answer.eventId)));
        // Only the first copy of an event in this batch counts as its first delivery.
        return received.map(({ consumer, event }) => firsts.delete(keyOf(consumer, event.id)));
      },
    };
    const forgetSql = `DELETE FROM ${table} inbox USING unnest($1::text[], $2::uuid[]) AS gone (consumer, event_id)
       WHERE inbox.consumer = gone.consumer AND inbox.event_id = gone.event_id`;
    const appliedSql = `UPDATE ${table} inbox SET duplicates = inbox.duplicates + 1
       FROM unnest($1::text[], $2::uuid[]) AS asked (consumer, event_id)
       WHERE asked.consumer = inbox.consumer AND asked.event_id = inbox.event_id
       RETURNING inbox.consumer, inbox.event_id::text AS "eventId"`;
    this.appliedBefore = {
      name: 'inbox lookups',
      run: async (db, received) => {
        const rows = await db.$queryRawUnsafe<Array<{ consumer: string; eventId: string }>>(
          appliedSql,
          received.map((r) => r.consumer),
          received.map((r) => r.event.id),
        );
        const found = new Set(rows.map((row) => keyOf(row.consumer, row.eventId)));
        return received.map(({ consumer, event }) => found.has(keyOf(consumer, event.id)));
      },
    };
    this.forgetting = {
      name: 'inbox forgets',
      run: async (tx, received) => {
        await tx.$executeRawUnsafe(forgetSql, received.map((r) => r.consumer), received.map((r) => r.event.id));
        return received.map(() => undefined);
      },
    };
  }

  /** Counts and logs a skipped redelivery; call it after the commit that found the record. */
  reportDuplicate(consumer: string, event: EventEnvelope): void {
    duplicatesSkipped.inc({ consumer, subject: event.type });
    logEvent(
      this.logger,
      'DUPLICATE_EVENT',
      { consumer, eventId: event.id, eventType: event.type, aggregateId: event.aggregateId },
      `${consumer}: ${event.type} ${event.id} already applied, skipped`,
    );
  }
}

function keyOf(consumer: string, eventId: string): string {
  return `${consumer}\u0000${canonicalUuid(eventId)}`;
}
