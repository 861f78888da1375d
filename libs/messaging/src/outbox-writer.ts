import { v7 as uuidv7 } from 'uuid';
import { kvSubject, orderingKeyBy, type EventDefinition, type EventEnvelope, type PayloadOf } from '#contracts';
import { activeTraceHeaders } from '#telemetry';
import type { EventCause } from './event-cause.js';
import { outboxChannel, outboxTable, type ServiceSchema } from './service-schema.js';
import type { SqlClient } from '#database';

export interface NewEvent<D extends EventDefinition = EventDefinition> {
  event: D;
  aggregateId: string;
  payload: PayloadOf<D>;
  cause: EventCause;
}

/**
 * A put into a JetStream KV bucket, written to the outbox with the change it
 * mirrors and published by the relay like an event: the value lands in the
 * bucket only if the change committed, and a re-send is deduplicated by its
 * msg id. The relay publishes an aggregate's rows in order and, of several
 * puts of one key in a batch, only the newest, so a key never goes back to
 * an older value.
 */
export interface KvPut {
  bucket: string;
  key: string;
  /** The aggregate the value belongs to (the order): relays claim one aggregate's rows together. */
  aggregateId: string;
  value: unknown;
}

/** The outbox `type` of a KV put (every other row's is its event type). */
export const KV_PUT_TYPE = 'kv.put';

/** Builds an event for `add`, typed by its definition. */
export function newEvent<D extends EventDefinition>(
  event: D,
  aggregateId: string,
  payload: PayloadOf<D>,
  cause: EventCause,
): NewEvent<D> {
  return { event, aggregateId, payload, cause };
}

/** One outbox row as `OutboxWriter.insert` writes it: built (ids fixed, trace context taken) by `prepare`. */
export interface OutboxRow {
  id: string;
  subject: string;
  type: string;
  aggregateId: string;
  /** What the relay sequences the row's publish by (EventDefinition.orderingKey; a KV put's aggregate). */
  orderingKey: string;
  /** The envelope (or the KV value), as JSON text. */
  body: string;
  /** The trace headers of the request or handler that caused the row, as JSON text. */
  headers: string;
}

/**
 * Writes events into the service's outbox inside the caller's transaction, so
 * they commit (or roll back) with the state change that caused them. The event
 * id is fixed here, once, and travels as `Nats-Msg-Id` on every publish.
 */
export class OutboxWriter {
  private readonly insertSql: string;

  constructor(schema: ServiceSchema) {
    // One statement text whatever the row count (arrays, not a VALUES list),
    // so it is prepared once per connection. The NOTIFY wakes the relay; it
    // is delivered at commit, and only if the transaction commits.
    this.insertSql = `WITH inserted AS (
         INSERT INTO ${outboxTable(schema)} (id, subject, type, aggregate_id, envelope, headers, ordering_key)
         SELECT id, subject, type, aggregate_id, body::jsonb, headers::jsonb, ordering_key
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[])
                AS row (id, subject, type, aggregate_id, body, headers, ordering_key)
         RETURNING 1
       )
       SELECT pg_notify('${outboxChannel(schema)}', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row`;
  }

  /** Writes the events and KV puts in one statement; returns the events' envelopes. */
  async add(tx: SqlClient, events: readonly NewEvent[], kvPuts: readonly KvPut[] = []): Promise<EventEnvelope[]> {
    const { envelopes, rows } = this.prepare(events, kvPuts);
    await this.insert(tx, rows);
    return envelopes;
  }

  /**
   * Builds the rows without writing them, for a unit of work that writes the
   * rows of a whole batch in one statement. The trace context is the caller's
   * now (the request or message handler), so the relay's publish continues
   * that trace even though it happens later, elsewhere.
   */
  prepare(events: readonly NewEvent[], kvPuts: readonly KvPut[] = []): { envelopes: EventEnvelope[]; rows: OutboxRow[] } {
    const envelopes = events.map(toEnvelope);
    const headers = JSON.stringify(activeTraceHeaders());
    const rows: OutboxRow[] = envelopes.map((envelope, index) => ({
      id: envelope.id,
      subject: envelope.type,
      type: envelope.type,
      aggregateId: envelope.aggregateId,
      orderingKey: orderingKeyBy(events[index].event, envelope),
      body: JSON.stringify(envelope),
      headers,
    }));
    // After the events, so the relay publishes a change's events before the mirror shows the change.
    for (const put of kvPuts) {
      rows.push({
        id: uuidv7(),
        subject: kvSubject(put.bucket, put.key),
        type: KV_PUT_TYPE,
        aggregateId: put.aggregateId,
        orderingKey: put.aggregateId,
        body: JSON.stringify(put.value),
        headers,
      });
    }
    return { envelopes, rows };
  }

  async insert(tx: SqlClient, rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.$executeRawUnsafe(
      this.insertSql,
      rows.map((row) => row.id),
      rows.map((row) => row.subject),
      rows.map((row) => row.type),
      rows.map((row) => row.aggregateId),
      rows.map((row) => row.body),
      rows.map((row) => row.headers),
      rows.map((row) => row.orderingKey),
    );
  }
}

function toEnvelope({ event, aggregateId, payload, cause }: NewEvent): EventEnvelope {
  return {
    id: uuidv7(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: new Date().toISOString(),
    aggregateId,
    correlationId: cause.correlationId,
    causationId: cause.causationId,
    // Validated on the way out too: a bug must not publish what consumers would reject.
    payload: event.payload.parse(payload),
  };
}
