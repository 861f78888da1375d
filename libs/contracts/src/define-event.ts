import type { z } from 'zod';
import type { EventEnvelope } from './envelope.js';
import type { StreamName } from './streams.js';

/**
 * One event type at one schema version: the single source of truth for its
 * subject, its stream and the shape of its payload.
 */
export interface EventDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> {
  readonly type: TType;
  readonly schemaVersion: number;
  /** Subjects equal event types, so a subject names exactly one kind of event. */
  readonly subject: TType;
  readonly stream: StreamName;
  readonly payload: TSchema;
  readonly description: string;
  /**
   * Events with the same ordering key are handled one after another by a
   * consumer instance (others run in parallel). Defaults to the aggregate id.
   */
  readonly orderingKey?: (payload: z.infer<TSchema>) => string;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(definition: {
  type: TType;
  schemaVersion: number;
  stream: StreamName;
  payload: TSchema;
  description: string;
  orderingKey?: (payload: z.infer<TSchema>) => string;
}): EventDefinition<TType, TSchema> {
  return Object.freeze({ ...definition, subject: definition.type });
}

/** The payload type of an event definition. */
export type PayloadOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;

/** The validated envelope a handler receives for an event definition. */
export type EnvelopeOf<D> = EventEnvelope<PayloadOf<D>>;

/**
 * Every event of the pipeline is about one order, and an order's events must
 * not overtake each other in a consumer (paid before payment-pending, say).
 */
export const byOrder = (payload: { orderId: string }): string => payload.orderId;
