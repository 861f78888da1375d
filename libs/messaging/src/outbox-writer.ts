import { v7 as uuidv7 } from 'uuid';
import { kvSubject, type EventDefinition, type EventEnvelope, type PayloadOf } from '#contracts';
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

/**
 * Writes events into the service's outbox inside the caller's transaction, so
 * they commit (or roll back) with the state change that caused them. The event
 * id is fixed here, once, and travels as `Nats-Msg-Id` on every publish.
 */
export class OutboxWriter {
  private readonly table: string;
  private readonly channel: string;

  constructor(schema: ServiceSchema) {
    this.table = outboxTable(schema);
    this.channel = outboxChannel(schema);
  }

  async add(tx: SqlClient, events: readonly NewEvent[], kvPuts: readonly KvPut[] = []): Promise<EventEnvelope[]> {
    if (events.length === 0 && kvPuts.length === 0) return [];
    const envelopes = events.map(toEnvelope);
    // The caller's trace context (request or message handler), so the relay's
    // publish continues this trace even though it happens later, elsewhere.
    const headers = JSON.stringify(activeTraceHeaders());
    const values: unknown[] = [];
    const row = (id: string, subject: string, type: string, aggregateId: string, body: unknown) => {
      values.push(id, subject, type, aggregateId, JSON.stringify(body), headers);
      const n = values.length;
      return `($${n - 5}::uuid, $${n - 4}, $${n - 3}, $${n - 2}::uuid, $${n - 1}::jsonb, $${n}::jsonb)`;
    };
    const rows = [
      ...envelopes.map((envelope) => row(envelope.id, envelope.type, envelope.type, envelope.aggregateId, envelope)),
      // After the events, so the relay publishes a change's events before the mirror shows the change.
      ...kvPuts.map((put) => row(uuidv7(), kvSubject(put.bucket, put.key), KV_PUT_TYPE, put.aggregateId, put.value)),
    ];
    values.push(this.channel);
    // One statement, one round trip: the insert and the relay's wake-up call.
    // The NOTIFY is delivered at commit, and only if the transaction commits.
    await tx.$executeRawUnsafe(
      `WITH inserted AS (
         INSERT INTO ${this.table} (id, subject, type, aggregate_id, envelope, headers) VALUES ${rows.join(', ')} RETURNING 1
       )
       SELECT pg_notify($${values.length}, '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row`,
      ...values,
    );
    return envelopes;
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
