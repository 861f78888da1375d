import { z } from 'zod';

/**
 * The envelope every event travels in. The payload is validated separately,
 * against the schema registered for the envelope's `type` and `schemaVersion`.
 */
export const envelopeSchema = z.object({
  /** UUIDv7, set once when the event is written to the outbox; also the `Nats-Msg-Id`. */
  id: z.uuidv7(),
  /** Event type, e.g. `orders.created`; equals the subject it is published on. */
  type: z.string().min(1),
  /** Payload schema version. See VERSIONING.md. */
  schemaVersion: z.int().positive(),
  /** When the change happened (not when it was published), ISO-8601 UTC. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** The id of the aggregate (order, payment, shipment) that changed. */
  aggregateId: z.uuid(),
  /** Shared by every event that one client request caused, across all services. */
  correlationId: z.uuid(),
  /** The id of the event (or request) that directly caused this one. */
  causationId: z.uuid(),
  payload: z.unknown(),
});

export type EnvelopeHeader = Omit<z.infer<typeof envelopeSchema>, 'payload'>;

/** An envelope whose payload has been validated as `P`. */
export interface EventEnvelope<P = unknown> extends EnvelopeHeader {
  payload: P;
}
