import { randomUUID } from 'node:crypto';
import { jetstream, type PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { Headers, OrderCreated, Streams, type EventEnvelope } from '#contracts';
import { eventually } from './eventually.js';

/** An orders.created message as stored in the ORDERS stream. */
export interface StoredOrderCreated {
  seq: number;
  msgId: string;
  envelope: EventEnvelope<{ orderId: string }>;
  data: Uint8Array;
  headers: Array<[string, string[]]>;
}

/**
 * The orders.created event of one order, read back from the stream with an
 * ordered (ephemeral) consumer. The filter goes as one string, which the
 * client sends as `filter_subject`: NATS 2.9 rejects `filter_subjects`.
 */
export async function readOrderCreated(nc: NatsConnection, orderId: string): Promise<StoredOrderCreated> {
  const js = jetstream(nc);
  return eventually(`orders.created of ${orderId} in stream ${Streams.ORDERS.name}`, async () => {
    const consumer = await js.consumers.get(Streams.ORDERS.name, { filter_subjects: OrderCreated.subject });
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    let found: StoredOrderCreated | undefined;
    for await (const message of batch) {
      const envelope = message.json<EventEnvelope<{ orderId: string }>>();
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
