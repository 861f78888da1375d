import { v7 as uuidv7 } from 'uuid';
import type { EventDefinition, EventEnvelope, PayloadOf } from '#contracts';
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

  async add(tx: SqlClient, events: readonly NewEvent[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const envelopes = events.map(toEnvelope);
    // The caller's trace context (request or message handler), so the relay's
    // publish continues this trace even though it happens later, elsewhere.
    const headers = JSON.stringify(activeTraceHeaders());
    const values: unknown[] = [];
    const rows = envelopes.map((envelope) => {
      values.push(envelope.id, envelope.type, envelope.aggregateId, JSON.stringify(envelope), headers);
      const n = values.length;
      return `($${n - 4}::uuid, $${n - 3}, $${n - 3}, $${n - 2}::uuid, $${n - 1}::jsonb, $${n}::jsonb)`;
    });
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
