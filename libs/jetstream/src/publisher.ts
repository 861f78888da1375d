import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Headers } from '#contracts';
import { tracePublish } from '#telemetry';
import { JetStreamDefaults } from './constants.js';
import { Semaphore } from './semaphore.js';

export interface OutgoingMessage {
  subject: string;
  /** Becomes `Nats-Msg-Id`: the server drops a second publish with the same id. */
  msgId: string;
  data: Uint8Array;
  headers?: Record<string, string>;
  /** The order the message is about: tagged on the publish span (`order.id`). */
  orderId?: string;
  /**
   * Messages of one batch with the same key are published one after another,
   * in the order given, and none after one of them failed (see publishAll).
   */
  orderingKey?: string;
}

export type PublishResult =
  | { msgId: string; status: 'stored' | 'duplicate'; seq: number }
  | { msgId: string; status: 'failed'; error: Error };

/**
 * Publishes to JetStream with a bounded number of publishes awaiting their
 * PubAck. A PubAck with `duplicate: true` means the server already holds the
 * message (an earlier attempt got through): it counts as delivered.
 */
export class JetStreamPublisher {
  private readonly inFlight: Semaphore;

  constructor(
    private readonly js: JetStreamClient,
    maxInFlight: number = JetStreamDefaults.maxPublishesInFlight,
  ) {
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * Publishes one message; rejects when the server did not confirm it. Traced
   * as a PRODUCER span continuing the trace in the message's headers.
   */
  async publish(message: OutgoingMessage): Promise<PublishResult> {
    const ack = await this.inFlight.run(() =>
      tracePublish(message, (headers) =>
        this.js.publish(message.subject, message.data, { msgID: message.msgId, headers: toNatsHeaders(headers) }),
      ),
    );
    return { msgId: message.msgId, status: ack.duplicate ? 'duplicate' : 'stored', seq: ack.seq };
  }

  /**
   * Publishes a batch concurrently (bounded); never rejects, reports each
   * outcome. Started in order by as many lanes as there are slots, each
   * taking the next message (or the next run of one ordering key) when its
   * publish settles: a batch of thousands does not hold a pending promise
   * per message while it waits its turn.
   *
   * Messages that share an `orderingKey` are published one after another in
   * the order given, so the stream stores them in that order; after one of
   * them fails, the rest of that key are not sent (reported failed), so a
   * later attempt can send them again in order and nothing newer ever lands
   * before something older of the same key.
   */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<PublishResult[]> {
    const results = new Array<PublishResult>(messages.length);
    const runs = runsByKey(messages);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < runs.length) {
        const run = runs[next++]!;
        let failure: Error | undefined;
        for (const index of run) {
          const message = messages[index]!;
          if (failure) {
            results[index] = failed(message, new Error(`not sent: an earlier message of ${message.orderingKey} failed (${failure.message})`));
            continue;
          }
          results[index] = await this.publish(message).catch((error: unknown) => failed(message, error));
          if (results[index]!.status === 'failed') failure = (results[index] as { error: Error }).error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.inFlight.size, runs.length) }, lane));
    return results;
  }
}

/** The batch's indexes in runs: all of one ordering key together, in order; a message without a key alone. */
function runsByKey(messages: readonly OutgoingMessage[]): number[][] {
  const runs: number[][] = [];
  const byKey = new Map<string, number[]>();
  messages.forEach((message, index) => {
    if (message.orderingKey === undefined) return void runs.push([index]);
    const run = byKey.get(message.orderingKey);
    if (run) return void run.push(index);
    const fresh = [index];
    byKey.set(message.orderingKey, fresh);
    runs.push(fresh);
  });
  return runs;
}

function failed(message: OutgoingMessage, error: unknown): PublishResult {
  return { msgId: message.msgId, status: 'failed', error: error instanceof Error ? error : new Error(String(error)) };
}

function toNatsHeaders(values: Record<string, string> | undefined) {
  if (!values) return undefined;
  let h: ReturnType<typeof natsHeaders> | undefined;
  for (const [key, value] of Object.entries(values)) {
    // The msg id travels as a publish option; a second copy here would be ignored.
    if (key === Headers.MSG_ID) continue;
    // Created only when there is a header to carry: an empty one still costs encoding on every publish.
    h ??= natsHeaders();
    h.set(key, value);
  }
  return h;
}
