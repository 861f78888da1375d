import { randomUUID } from 'node:crypto';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { Headers, OrderCreated, type EventDefinition, type EventEnvelope } from '#contracts';
import type { OrdersClient, CreateOrderRequest, PlacedOrder } from './orders-client.js';

/**
 * Duplicates at the three levels where a real system produces them:
 *  (a) the client retries its HTTP request (same Idempotency-Key and body);
 *  (b) a publisher re-sends an event it already published, e.g. the outbox
 *      relay after a crash between publish and mark-published (same Nats-Msg-Id:
 *      the server's duplicate window drops it);
 *  (c) the same event arrives again under another message id, which the server
 *      cannot recognise (a re-send after the duplicate window, a replay by an
 *      operator): only the consumer's inbox stands between it and holding the
 *      stock (then charging) a second time.
 */

/** An event about one order (orders.created, inventory.reserved, ...) as it is stored in its stream. */
export interface StoredOrderEvent {
  orderId: string;
  eventId: string;
  /** The stream sequence it was stored at. */
  seq: number;
  msgId: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
}

export interface HttpRetryResult {
  sameOrder: boolean;
  replayedHeader: boolean;
  status: number;
}

/** (a) The same request again: the API must answer with the order it already created. */
export async function retryOrderRequest(
  client: OrdersClient,
  request: CreateOrderRequest,
  idempotencyKey: string,
  original: PlacedOrder,
): Promise<HttpRetryResult> {
  const again = await client.place(request, idempotencyKey);
  return { sameOrder: again.order.id === original.order.id, replayedHeader: again.replayed, status: again.status };
}

/**
 * Reads the events of one type (`event`: its subject and stream) of the given
 * orders back from their stream, the first of each order. The outbox relay
 * publishes shortly after the change, so this keeps reading new messages
 * until all are found or `timeoutMs` runs out. An ordered consumer is
 * ephemeral and leaves nothing behind on the server.
 */
export async function readOrderEvents(
  js: JetStreamClient,
  event: Pick<EventDefinition, 'subject' | 'stream'>,
  orderIds: readonly string[],
  timeoutMs: number,
): Promise<Map<string, StoredOrderEvent>> {
  const wanted = new Set(orderIds);
  const found = new Map<string, StoredOrderEvent>();
  if (wanted.size === 0) return found;
  // One subject as a string, not an array: the client then sends
  // `filter_subject`, which NATS 2.9 (Debian's package) understands too.
  const consumer = await js.consumers.get(event.stream, { filter_subjects: event.subject });
  const messages = await consumer.consume();
  const timer = setTimeout(() => messages.stop(), timeoutMs);
  try {
    for await (const message of messages) {
      let envelope: EventEnvelope<{ orderId: string }>;
      try {
        envelope = message.json<EventEnvelope<{ orderId: string }>>();
      } catch {
        continue; // a poison message (--poison-every): no event, nothing to duplicate
      }
      const orderId = envelope.payload?.orderId;
      if (wanted.has(orderId) && !found.has(orderId)) {
        found.set(orderId, {
          orderId,
          eventId: envelope.id,
          seq: message.seq,
          msgId: message.headers?.get(Headers.MSG_ID) ?? '',
          data: message.data,
          headers: message.headers,
        });
        if (found.size === wanted.size) break;
      }
    }
  } finally {
    clearTimeout(timer);
    messages.stop();
  }
  const missing = orderIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new Error(`${event.subject} was not in stream ${event.stream} after ${timeoutMs} ms for orders ${missing.join(', ')}`);
  }
  return found;
}

/** (b) Publish the stored event again with its own Nats-Msg-Id; the server must answer duplicate. */
export function republishWithSameMsgId(js: JetStreamClient, event: StoredOrderEvent): Promise<PubAck> {
  return js.publish(OrderCreated.subject, event.data, { msgID: event.msgId, headers: copyHeaders(event.headers) });
}

/**
 * (c) Publish the stored event again under a new Nats-Msg-Id: the server stores
 * it as a new message and its consumers (inventory's reservation among them)
 * receive the same event (same envelope id) a second time.
 */
export function republishWithNewMsgId(js: JetStreamClient, event: StoredOrderEvent): Promise<PubAck> {
  return js.publish(OrderCreated.subject, event.data, { msgID: `demo-redelivery-${randomUUID()}`, headers: copyHeaders(event.headers) });
}

/** The original headers (trace context and so on) without the message id, which the publish sets. */
function copyHeaders(original: MsgHdrs | undefined): MsgHdrs {
  const copy = natsHeaders();
  for (const [key, values] of original ?? []) {
    if (key.toLowerCase() === Headers.MSG_ID.toLowerCase()) continue;
    for (const value of values) copy.append(key, value);
  }
  return copy;
}

/** What each injected duplicate got back, checked by verification.ts. */
export interface InjectionReport {
  httpRetries: Array<{ orderId: string; result: HttpRetryResult }>;
  sameMsgId: Array<{ orderId: string; originalSeq: number; ack: PubAck }>;
  newMsgId: Array<{ orderId: string; eventId: string; ack: PubAck }>;
}

export function emptyInjectionReport(): InjectionReport {
  return { httpRetries: [], sameMsgId: [], newMsgId: [] };
}

/** (b) and (c) for each of the orders, in that order, recorded into `report`. */
export async function injectStreamDuplicates(
  js: JetStreamClient,
  orderIds: readonly string[],
  report: InjectionReport,
  timeoutMs: number,
): Promise<void> {
  const events = await readOrderEvents(js, OrderCreated, orderIds, timeoutMs);
  for (const orderId of orderIds) {
    const event = events.get(orderId)!;
    report.sameMsgId.push({ orderId, originalSeq: event.seq, ack: await republishWithSameMsgId(js, event) });
    report.newMsgId.push({ orderId, eventId: event.eventId, ack: await republishWithNewMsgId(js, event) });
  }
}
