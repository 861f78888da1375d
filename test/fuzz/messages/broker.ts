import { connect as tcpConnect } from 'node:net';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Consumers, DeadLetterConsumers } from '#contracts';

/**
 * What the broker itself says: which consumers still hold messages, and
 * what the server does with a message past its max_payload when no client
 * library stops it first.
 */

/** Every durable consumer of the pipeline, the dead-letter office's included. */
const ALL_CONSUMERS = [...Object.values(Consumers), ...Object.values(DeadLetterConsumers)];

/**
 * The consumers with messages not yet delivered or not yet settled, as
 * `durable: N pending, M unacknowledged` (empty: every message was acked or
 * terminated). A message that is neither stays unacknowledged for ever,
 * redelivered after each ack wait; one the dead-letter office cannot record
 * does the same on its advisories consumer.
 */
export async function unsettledConsumers(jsm: JetStreamManager): Promise<string[]> {
  const infos = await Promise.all(ALL_CONSUMERS.map((consumer) => jsm.consumers.info(consumer.stream, consumer.durable)));
  return infos
    .filter((info) => info.num_pending > 0 || info.num_ack_pending > 0)
    .map((info) => `${info.name}: ${info.num_pending} pending, ${info.num_ack_pending} unacknowledged (${info.num_redelivered} redelivered)`);
}

/** The max_deliver a consumer runs with, as the server has it. */
export async function maxDeliverOf(jsm: JetStreamManager, stream: string, durable: string): Promise<number> {
  return (await jsm.consumers.info(stream, durable)).config.max_deliver ?? -1;
}

/**
 * Announces a publish of `bytes` bytes on `subject` over a raw connection,
 * past what nats.js would send, and answers what the server wrote back and
 * whether it closed the connection (within `timeoutMs`). The server judges
 * the size from the PUB line, so the body itself is never sent.
 */
export function rawPublish(natsUrl: string, subject: string, bytes: number, timeoutMs = 5_000): Promise<{ reply: string; closed: boolean }> {
  const { hostname, port, username, password } = new URL(natsUrl);
  // As the URL says: a user and password in it are sent, as nats.js would.
  const credentials = username ? { user: decodeURIComponent(username), pass: decodeURIComponent(password) } : {};
  const connect = JSON.stringify({ verbose: false, pedantic: false, ...credentials });
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: hostname, port: Number(port) });
    let reply = '';
    let greeted = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closed: false });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (!greeted && reply.includes('\r\n')) {
        // The server's INFO: introduce ourselves, then announce the publish.
        greeted = true;
        reply = '';
        socket.write(`CONNECT ${connect}\r\nPUB ${subject} ${bytes}\r\n`);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, closed: true });
    });
  });
}
