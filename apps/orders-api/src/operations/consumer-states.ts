import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiError, jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Consumers, DeadLetterConsumers } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import { withTimeout } from '#metrics';

/** JetStream's "consumer not found". */
const CONSUMER_NOT_FOUND = 10014;
const ANSWER_WITHIN_MS = 2_000;

export interface ConsumerState {
  stream: string;
  name: string;
  service: string;
  filterSubject: string;
  /** False while the consumer does not exist on the server (its service never started); the counts are null then. */
  found: boolean;
  pending: number | null;
  ackPending: number | null;
  redelivered: number | null;
  waiting: number | null;
  lastActiveAt: string | null;
}

/**
 * The server's view of every durable consumer the contracts declare (the
 * pipeline's and the dead-letter office's): one consumer info each, asked
 * all at once. orders-api's NATS user may read them all (admission control
 * reads the same figures).
 */
@Injectable()
export class ConsumerStates {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  read(): Promise<ConsumerState[]> {
    return withTimeout(this.readAll(), ANSWER_WITHIN_MS, 'NATS (consumer info)');
  }

  private async readAll(): Promise<ConsumerState[]> {
    const jsm = await jetstreamManager(this.connection, { timeout: ANSWER_WITHIN_MS, checkAPI: false });
    return Promise.all(
      [...Object.values(Consumers), ...Object.values(DeadLetterConsumers)].map(async (consumer) => {
        const declared = { stream: consumer.stream, name: consumer.durable, service: consumer.service, filterSubject: consumer.filterSubject };
        try {
          return { ...declared, ...countsOf(await jsm.consumers.info(consumer.stream, consumer.durable)) };
        } catch (error) {
          if (!(error instanceof JetStreamApiError) || error.code !== CONSUMER_NOT_FOUND) throw error;
          return { ...declared, found: false, pending: null, ackPending: null, redelivered: null, waiting: null, lastActiveAt: null };
        }
      }),
    );
  }
}

function countsOf(info: ConsumerInfo): Omit<ConsumerState, 'stream' | 'name' | 'service' | 'filterSubject'> {
  return {
    found: true,
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
    waiting: info.num_waiting,
    lastActiveAt: latest(info.delivered.last_active, info.ack_floor.last_active),
  };
}

/**
 * The later of the last delivery and the last acknowledgement: the server
 * sends each as a timestamp (typed as nanoseconds by the client), and leaves
 * it out before the first.
 */
function latest(...times: unknown[]): string | null {
  const ms = times.map((time) => (typeof time === 'string' ? Date.parse(time) : NaN)).filter((t) => Number.isFinite(t) && t > 0);
  return ms.length > 0 ? new Date(Math.max(...ms)).toISOString() : null;
}
