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
    const ack: PubAck = await this.inFlight.run(() =>
      tracePublish(message, (headers) =>
        this.js.publish(message.subject, message.data, { msgID: message.msgId, headers: toNatsHeaders(headers) }),
      ),
    );
    return { msgId: message.msgId, status: ack.duplicate ? 'duplicate' : 'stored', seq: ack.seq };
  }

  /** Publishes a batch concurrently (bounded); never rejects, reports each outcome. */
  publishAll(messages: readonly OutgoingMessage[]): Promise<PublishResult[]> {
    return Promise.all(
      messages.map((message) =>
        this.publish(message).catch(
          (error: unknown): PublishResult => ({
            msgId: message.msgId,
            status: 'failed',
            error: error instanceof Error ? error : new Error(String(error)),
          }),
        ),
      ),
    );
  }
}

function toNatsHeaders(values: Record<string, string> | undefined) {
  if (!values) return undefined;
  const h = natsHeaders();
  for (const [key, value] of Object.entries(values)) {
    // The msg id travels as a publish option; a second copy here would be ignored.
    if (key !== Headers.MSG_ID) h.set(key, value);
  }
  return h;
}
