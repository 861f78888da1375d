import { Injectable } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { Streams, findEventDefinition, type EventEnvelope } from '#contracts';
import { SqlDatabase } from '#database';
import type { BatchQuery, UnitOfWork } from '#messaging';

/**
 * The order's event timeline: every event about an order, from every service,
 * recorded as it is emitted (orders-api's own) or applied (the payments and
 * shipments events orders-api consumes anyway), from the event itself: its
 * id, type, version, time, emitting service, correlation and causation, and
 * the trace it travelled in. Not re-derived from the order row, so it shows
 * events that moved nothing (a cancelled shipment, a parked dispatch).
 */
export interface TimelineEntry {
  eventId: string;
  orderId: string;
  type: string;
  schemaVersion: number;
  service: string;
  occurredAt: string;
  correlationId: string | null;
  causationId: string | null;
  traceId: string | null;
}

/** The live timeline. */
export const TIMELINE_TABLE = '"orders"."order_timeline"';

/**
 * The INSERT of a batch of timeline rows into `table`, as one statement; an
 * event already recorded (a redelivery, a second rebuild pass) is left as it
 * is. `existingOrdersOnly`: rows only for orders the orders table has, as
 * the live timeline keeps them (an event about an unknown order fails its
 * unit of work and is rolled back); a rebuild from the streams needs it.
 */
export function insertTimelineSql(table: string, { existingOrdersOnly = false } = {}): string {
  return `INSERT INTO ${table} (event_id, order_id, type, schema_version, service, occurred_at, correlation_id, causation_id, trace_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::timestamptz[], $7::uuid[], $8::uuid[], $9::text[])
                AS t (event_id, order_id, type, schema_version, service, occurred_at, correlation_id, causation_id, trace_id)
       ${existingOrdersOnly ? 'WHERE EXISTS (SELECT 1 FROM "orders"."orders" o WHERE o.id = t.order_id)' : ''}
       ON CONFLICT (event_id) DO NOTHING`;
}

/** The statement's parameters: one array per column. */
export function timelineColumns(entries: readonly TimelineEntry[]): unknown[] {
  return [
    entries.map((e) => e.eventId),
    entries.map((e) => e.orderId),
    entries.map((e) => e.type),
    entries.map((e) => e.schemaVersion),
    entries.map((e) => e.service),
    entries.map((e) => e.occurredAt),
    entries.map((e) => e.correlationId),
    entries.map((e) => e.causationId),
    entries.map((e) => e.traceId),
  ];
}

const INSERT_LIVE = insertTimelineSql(TIMELINE_TABLE);

/** The timeline rows of a unit-of-work transaction in one statement. */
export const recordTimeline: BatchQuery<TimelineEntry, void> = {
  name: 'record timeline',
  async run(tx, entries) {
    await tx.$executeRawUnsafe(INSERT_LIVE, ...timelineColumns(entries));
    return entries.map(() => undefined);
  },
};

/** Records events about orders in the unit of work's transaction (those it applies, or those it emits). */
export async function recordInTimeline(uow: UnitOfWork, events: readonly EventEnvelope[]): Promise<void> {
  const traceId = currentTraceId();
  await Promise.all(events.map((event) => uow.write(recordTimeline, timelineEntry(event, traceId))));
}

/** The timeline row of an event, with the trace it travelled in (null without tracing). */
export function timelineEntry(event: EventEnvelope, traceId: string | null): TimelineEntry {
  const stream = findEventDefinition(event.type, event.schemaVersion)?.stream;
  return {
    eventId: event.id,
    orderId: orderIdOf(event),
    type: event.type,
    schemaVersion: event.schemaVersion,
    service: stream ? Streams[stream].service : 'unknown',
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    traceId,
  };
}

/** Every event of the pipeline is about one order (contracts: byOrder), named in its payload. */
function orderIdOf(event: EventEnvelope): string {
  const orderId = (event.payload as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== 'string') throw new Error(`${event.type} ${event.id} names no order`);
  return orderId;
}

/** The trace the event is handled (or emitted) in: the message's CONSUMER span continues its producer's trace. None without tracing. */
function currentTraceId(): string | null {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : null;
}

/** An event of an order's timeline as the API shows it: the entry, by the event's id. */
export type TimelineEvent = Omit<TimelineEntry, 'eventId' | 'orderId'> & { id: string };

/** Reads an order's timeline, oldest first. */
@Injectable()
export class OrderTimeline {
  constructor(private readonly db: SqlDatabase) {}

  /** The order's events, or null when there is no such order. */
  async of(orderId: string): Promise<TimelineEvent[] | null> {
    const rows = await this.db.$queryRawUnsafe<Array<TimelineEvent & { known: boolean }>>(
      `SELECT t.event_id::text AS id, t.type, t.schema_version AS "schemaVersion", t.service,
              to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
              t.correlation_id::text AS "correlationId", t.causation_id::text AS "causationId", t.trace_id AS "traceId"
         FROM "orders"."orders" o LEFT JOIN "orders"."order_timeline" t ON t.order_id = o.id
        WHERE o.id = $1::uuid
        ORDER BY t.occurred_at, t.recorded_at, t.event_id`,
      orderId,
    );
    if (rows.length === 0) return null;
    return rows.filter((row) => row.id !== null);
  }
}
