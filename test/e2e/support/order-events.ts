import { randomUUID } from 'node:crypto';
import { jetstream, type PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { Headers, OrderCreated, Streams, type EventDefinition, type EventEnvelope, type EnvelopeOf } from '#contracts';
import { eventually } from './eventually.js';

/** An event of one order as stored in its stream. */
export interface StoredEvent<E extends EventEnvelope<{ orderId: string }> = EventEnvelope<{ orderId: string }>> {
  seq: number;
  msgId: string;
  envelope: E;
  data: Uint8Array;
  headers: Array<[string, string[]]>;
}

/** An orders.created message as stored in the ORDERS stream. */
export type StoredOrderCreated = StoredEvent;

/** The orders.created event of one order, read back from the ORDERS stream. */
export function readOrderCreated(nc: NatsConnection, orderId: string): Promise<StoredOrderCreated> {
  return readEventOf(nc, Streams.ORDERS.name, OrderCreated, orderId);
}

/**
 * The first event of `definition`'s type for one order, read back from
 * `stream` with an ordered (ephemeral) consumer. The filter goes as one
 * string, which the client sends as `filter_subject`: NATS 2.9 rejects
 * `filter_subjects`.
 */
export async function readEventOf<D extends EventDefinition>(
  nc: NatsConnection,
  stream: string,
  definition: D,
  orderId: string,
): Promise<StoredEvent<EnvelopeOf<D> & EventEnvelope<{ orderId: string }>>> {
  type Envelope = EnvelopeOf<D> & EventEnvelope<{ orderId: string }>;
  const js = jetstream(nc);
  return eventually(`${definition.type} of ${orderId} in stream ${stream}`, async () => {
    const consumer = await js.consumers.get(stream, { filter_subjects: definition.subject });
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    let found: StoredEvent<Envelope> | undefined;
    for await (const message of batch) {
      const envelope = message.json<Envelope>();
      if (!found && envelope.payload.orderId === orderId) {
        found = {
          seq: message.seq,
          msgId: message.headers?.get(Headers.MSG_ID) ?? '',
          envelope,
          data: message.data,
          headers: [...(message.headers ?? [])],
        };
      }
    }
    return found;
  }, { timeoutMs: 30_000, intervalMs: 250 });
}

/** Publishes the stored event again, under its own Nats-Msg-Id or a new one. */
export function republish(nc: NatsConnection, event: StoredOrderCreated, msgId: 'same' | 'new'): Promise<PubAck> {
  const headers = natsHeaders();
  for (const [key, values] of event.headers) {
    if (key.toLowerCase() === Headers.MSG_ID.toLowerCase()) continue;
    for (const value of values) headers.append(key, value);
  }
  return jetstream(nc).publish(OrderCreated.subject, event.data, {
    msgID: msgId === 'same' ? event.msgId : `e2e-redelivery-${randomUUID()}`,
    headers,
  });
}
