import { EventPattern } from '@nestjs/microservices';
import type { ConsumerDefinition, EventEnvelope } from '#contracts';
import type { JetStreamContext } from './context.js';

/** One message of a batch as its handler gets it. */
export interface DeliveredEvent<E extends EventEnvelope = EventEnvelope> {
  envelope: E;
  delivery: JetStreamContext;
  /** Runs `fn` in the message's CONSUMER span, so what it writes to the outbox continues the message's trace. */
  inTrace<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * What a batch handler answers: per message, in order, whether it is done
 * (applied, or a duplicate) and may be acked, or failed and is to be retried
 * (or terminated, for a permanent failure) on its own.
 */
export type BatchOutcomes = ReadonlyArray<{ outcome: 'applied' | 'duplicate' } | { outcome: 'failed'; error: unknown }>;

/** The marker in a handler's `@EventPattern` extras that makes its consumer deliver batches. */
export const BATCH_HANDLER = 'jetstreamBatch';

/**
 * Marks the handler of every message of `consumer`, delivered in batches: the
 * messages that arrived together (never two of one ordering key), as
 * `DeliveredEvent[]`, answered with one outcome each. The transport acks each
 * message after the handler resolved, so after the commit that applied it.
 */
export function EventBatchPattern(consumer: ConsumerDefinition): MethodDecorator {
  const pattern = EventPattern(consumer.filterSubject, { [BATCH_HANDLER]: true });
  // Nest types an event handler's payload as one message; a batch handler's is an array.
  return (target, key, descriptor) => pattern(target, key, descriptor as never);
}
