import { randomUUID } from 'node:crypto';
import { jetstream, type PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { Headers, Streams, type EventDefinition, type EventEnvelope, type StreamName } from '#contracts';
import { envelopeFor } from '../../integration/support/envelope.js';

/**
 * Messages put into the streams by the tests themselves: copies of real events
 * under new message ids (duplicates the server cannot recognise, so only the
 * consumers' inboxes stand between them and a second effect), and poison
 * (bodies that are no event at all).
 */

export interface StoredEvent {
  seq: number;
  subject: string;
  envelope: EventEnvelope<{ orderId: string }>;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
}

/**
 * The events on `subject` in `stream` stored so far, read with an ordered
 * (ephemeral) consumer, which leaves nothing behind on the server. The filter
 * goes as one string: NATS 2.9 understands `filter_subject` only.
 */
export async function readEvents(nc: NatsConnection, stream: string, subject: string): Promise<StoredEvent[]> {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  const stored = info.state.subjects?.[subject] ?? 0;
  const events: StoredEvent[] = [];
  if (stored === 0) return events;
  const consumer = await js.consumers.get(stream, { filter_subjects: subject });
  const messages = await consumer.consume({ max_messages: 500 });
  const timer = setTimeout(() => messages.stop(), 30_000);
  try {
    for await (const message of messages) {
      let envelope: EventEnvelope<{ orderId: string }> | undefined;
      try {
        envelope = message.json<EventEnvelope<{ orderId: string }>>();
      } catch {
        // poison we put there ourselves
      }
      if (envelope?.payload?.orderId) {
        events.push({ seq: message.seq, subject: message.subject, envelope, data: message.data, headers: message.headers });
      }
      if (message.info.pending === 0) break;
    }
  } finally {
    clearTimeout(timer);
    messages.stop();
  }
  return events;
}

/**
 * Calls `onEvent` for every event on `subject` in `stream`, from the first
 * stored one on and for each new one as it arrives, until stop() is called:
 * one ordered consumer, which the server forgets once it is stopped.
 */
export async function followEvents(
  nc: NatsConnection,
  stream: string,
  subject: string,
  onEvent: (event: StoredEvent) => Promise<void>,
): Promise<{ stop(): Promise<void> }> {
  const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subject });
  const messages = await consumer.consume({ max_messages: 100 });
  const loop = (async () => {
    for await (const message of messages) {
      let envelope: EventEnvelope<{ orderId: string }> | undefined;
      try {
        envelope = message.json<EventEnvelope<{ orderId: string }>>();
      } catch {
        continue; // poison we put there ourselves
      }
      if (envelope?.payload?.orderId) {
        await onEvent({ seq: message.seq, subject: message.subject, envelope, data: message.data, headers: message.headers });
      }
    }
  })();
  return {
    async stop() {
      messages.stop();
      await loop;
    },
  };
}

/**
 * Re-publishes every event of each definition once under a new Nats-Msg-Id,
 * as soon as it is in its stream (so the copy often arrives while the
 * original is still being handled), until stop(). `copied` holds the ids of
 * the events copied so far, by subject; the copies themselves come by too,
 * and are not copied again.
 */
export async function republishEveryEvent<S extends string>(
  nc: NatsConnection,
  definitions: ReadonlyArray<{ subject: S; stream: StreamName }>,
): Promise<{ copied: Record<S, Set<string>>; stop(): Promise<void> }> {
  const copied = Object.fromEntries(definitions.map(({ subject }) => [subject, new Set<string>()])) as Record<S, Set<string>>;
  const followers = await Promise.all(
    definitions.map(({ subject, stream }) =>
      followEvents(nc, Streams[stream].name, subject, async (event) => {
        if (copied[subject].has(event.envelope.id)) return;
        copied[subject].add(event.envelope.id);
        const ack = await republishWithNewMsgId(nc, event);
        if (ack.duplicate) throw new Error(`the copy of ${event.envelope.id} was taken for a duplicate by the server`);
      }),
    ),
  );
  return {
    copied,
    async stop() {
      await Promise.all(followers.map((follower) => follower.stop()));
    },
  };
}

/** The same event (same envelope and event id) again, under a new Nats-Msg-Id. */
export function republishWithNewMsgId(nc: NatsConnection, event: StoredEvent): Promise<PubAck> {
  const headers = natsHeaders();
  for (const [key, values] of event.headers ?? []) {
    if (key.toLowerCase() === Headers.MSG_ID.toLowerCase()) continue;
    for (const value of values) headers.append(key, value);
  }
  return jetstream(nc).publish(event.subject, event.data, { msgID: `chaos-duplicate-${randomUUID()}`, headers });
}

/** A body that is not an event: not even JSON. Consumers must terminate it at once. */
export function publishPoison(nc: NatsConnection, subject: string, label: string): Promise<PubAck> {
  const body = new TextEncoder().encode(`\u0000poison ${label} {not json`);
  return jetstream(nc).publish(subject, body, { msgID: `chaos-poison-${randomUUID()}` });
}

/**
 * A well-formed event (it passes the contract) about an order that does not
 * exist: a consumer can decode it but never apply it, so it fails on every
 * delivery and is dead-lettered, wherever it sits in a batch.
 */
export async function publishEventForUnknownOrder(
  nc: NatsConnection,
  definition: EventDefinition,
  payload: { orderId: string } & Record<string, unknown>,
): Promise<{ ack: PubAck; envelope: EventEnvelope }> {
  const envelope = envelopeFor(definition, definition.payload.parse(payload) as typeof payload);
  const ack = await jetstream(nc).publish(definition.subject, new TextEncoder().encode(JSON.stringify(envelope)), { msgID: envelope.id });
  return { ack, envelope };
}
