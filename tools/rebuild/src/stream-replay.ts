import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '#contracts';
import { decodeEnvelope } from '#jetstream';

/** One stored event as a rebuild sees it: the envelope, and the trace id its traceparent header names. */
export interface ReplayedEvent {
  envelope: EventEnvelope;
  traceId: string | null;
}

export interface ReplayProgress {
  /** Messages in the streams when the replay started: what it will read. */
  total: number;
  read: number;
}

/** Where a replay ended: the last sequence it read up to in each stream (to replay the tail from later). */
export type StreamPositions = ReadonlyMap<string, number>;

/** The messages the streams hold now: the replay reads up to these. */
export async function storedMessages(nc: NatsConnection, streams: readonly string[]): Promise<Map<string, { first: number; last: number; messages: number }>> {
  const jsm = await jetstreamManager(nc);
  const sizes = new Map<string, { first: number; last: number; messages: number }>();
  for (const stream of streams) {
    const { state } = await jsm.streams.info(stream);
    sizes.set(stream, { first: state.first_seq, last: state.last_seq, messages: state.messages });
  }
  return sizes;
}

/**
 * Reads `streams` from their first message (or from just after `after`'s
 * sequence for that stream: the tail of an earlier replay) to the last one
 * stored when the replay started, with an ordered consumer (ephemeral: it
 * leaves nothing on the server), and hands the valid events on in batches.
 * Messages that are not valid events (poison, dead on arrival for every
 * consumer too) are skipped, as the consumers terminated them.
 */
export async function replayStreams(
  nc: NatsConnection,
  streams: readonly string[],
  onBatch: (events: ReplayedEvent[]) => Promise<void>,
  onProgress: (progress: ReplayProgress) => void = () => {},
  { batchSize = 500, after }: { batchSize?: number; after?: StreamPositions } = {},
): Promise<ReplayProgress & { upTo: StreamPositions }> {
  const js = jetstream(nc);
  const sizes = await storedMessages(nc, streams);
  const from = (stream: string): number => after?.get(stream) ?? 0;
  const upTo = new Map([...sizes].map(([stream, { last }]) => [stream, Math.max(last, from(stream))]));
  const progress: ReplayProgress = {
    total: [...sizes].reduce((sum, [stream, s]) => sum + (from(stream) > 0 ? Math.max(0, s.last - from(stream)) : s.messages), 0),
    read: 0,
  };
  onProgress(progress);
  for (const stream of streams) {
    const { last, messages } = sizes.get(stream)!;
    const start = from(stream);
    if (messages === 0 || last <= start) continue;
    const consumer = await js.consumers.get(stream, start > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start + 1 } : {});
    let batch: ReplayedEvent[] = [];
    for (let seq = start; seq < last; ) {
      const fetched = await consumer.fetch({ max_messages: batchSize, expires: 2_000 });
      let got = 0;
      for await (const message of fetched) {
        got += 1;
        seq = message.seq;
        progress.read += 1;
        const event = decoded(message.data, message.subject, message.headers?.get('traceparent'));
        if (event) batch.push(event);
        if (seq >= last) break;
      }
      if (batch.length > 0) {
        await onBatch(batch);
        batch = [];
      }
      onProgress(progress);
      if (got === 0) break; // nothing more arrived: the stream lost its tail (max_age) while we read
    }
    await consumer.delete().catch(() => undefined);
  }
  return { ...progress, upTo };
}

function decoded(data: Uint8Array, subject: string, traceparent: string | undefined): ReplayedEvent | undefined {
  try {
    return { envelope: decodeEnvelope(data, subject), traceId: traceIdOf(traceparent) };
  } catch {
    return undefined;
  }
}

/** The trace id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`), or null. */
export function traceIdOf(traceparent: string | undefined): string | null {
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '');
  return match && !/^0+$/.test(match[1]!) ? match[1]! : null;
}
