import type { z } from 'zod';
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
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(definition: {
  type: TType;
  schemaVersion: number;
  stream: StreamName;
  payload: TSchema;
  description: string;
}): EventDefinition<TType, TSchema> {
  return Object.freeze({ ...definition, subject: definition.type });
}

/** The payload type of an event definition. */
export type PayloadOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;

/** The validated envelope a handler receives for an event definition. */
export type EnvelopeOf<D> = import('./envelope.js').EventEnvelope<PayloadOf<D>>;
