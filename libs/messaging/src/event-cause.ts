import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '#contracts';

/** Why an event is emitted: it carries the correlation on and points at its cause. */
export interface EventCause {
  correlationId: string;
  causationId: string;
}

/** The cause of events emitted while handling `event`. */
export function causedBy(event: EventEnvelope): EventCause {
  return { correlationId: event.correlationId, causationId: event.id };
}

/**
 * The cause of events emitted by a client request: the request starts a new
 * correlation unless the client sent one (X-Correlation-Id).
 */
export function causedByRequest(correlationId?: string): EventCause {
  const id = uuidv7();
  return { correlationId: correlationId ?? id, causationId: id };
}
