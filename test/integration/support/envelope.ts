import { v7 as uuidv7 } from 'uuid';
import type { EventDefinition, EventEnvelope } from '#contracts';

/** A valid envelope of `definition` about one order, as the owning service's outbox would write it. */
export function envelopeFor<P extends { orderId: string }>(definition: EventDefinition, payload: P): EventEnvelope<P> {
  const id = uuidv7();
  return {
    id,
    type: definition.type,
    schemaVersion: definition.schemaVersion,
    occurredAt: new Date().toISOString(),
    aggregateId: payload.orderId,
    correlationId: id,
    causationId: id,
    payload,
  };
}
