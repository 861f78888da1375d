import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, type MicroserviceOptions } from '@nestjs/microservices';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { OrderCreated, Streams, type ConsumerDefinition } from '#contracts';
import { JetStreamDefaults, JetStreamPublisher, JetStreamServer, connectToNats, encodeEnvelope, provisionStreams, type OutgoingMessage } from '#jetstream';
import { measureRawJetStream, type RawJetStreamRates } from './baselines.js';
import { sampleOrderCreatedEnvelopes } from './sample-events.js';
import { firstToLastRate, median, pairedRatio, ratePerSecond } from './stats.js';

/**
 * The JetStream transport alone, against the raw client on the same server
 * with the same messages: publishing through libs/jetstream's publisher (as
 * the outbox relay does), and consuming through a Nest microservice with the
 * repo's JetStreamServer and an @EventPattern handler that does no work (so
 * decoding, validation, ordering and ackAck are what is measured).
 */

export interface TransportRound {
  raw: RawJetStreamRates;
  transportPublishPerSecond: number;
  transportConsumeAckPerSecond: number;
}

export interface TransportFigures {
  messages: number;
  messageBytes: number;
  rounds: TransportRound[];
  /** Medians over the rounds. */
  rawPublishPerSecond: number;
  rawConsumeAckPerSecond: number;
  transportPublishPerSecond: number;
  transportConsumeAckPerSecond: number;
  /** Transport over raw client, the median of the rounds' ratios; the target is at least 0.9 for each (TARGETS). */
  publishRatio: number | undefined;
  consumeAckRatio: number | undefined;
}

const COUNTER = Symbol('COUNTER');
/** How long the acks of a finished consume may take to reach the server before the round is called broken. */
const ACK_SETTLE_TIMEOUT_MS = 30_000;

/**
 * Counts the messages the no-work handler saw, and when it saw the first and
 * the last: the rate is taken between those two, as the raw client's is (see
 * measureRawJetStream), so starting the service (connecting, provisioning)
 * is not counted as consuming.
 */
class HandledCounter {
  count = 0;
  firstAt = 0;
  lastAt = 0;
  private target = Infinity;
  private reached?: () => void;

  until(target: number): Promise<void> {
    this.count = 0;
    this.target = target;
    return new Promise((resolve) => (this.reached = resolve));
  }

  tick(): void {
    this.count += 1;
    if (this.count === 1) this.firstAt = performance.now();
    if (this.count === this.target) {
      this.lastAt = performance.now();
      this.reached?.();
    }
  }
}

@Controller()
class NoWorkHandler {
  constructor(@Inject(COUNTER) private readonly counter: HandledCounter) {}

  @EventPattern<string>(OrderCreated.subject)
  handle(): void {
    this.counter.tick();
  }
}

export async function runTransportBench(
  natsUrl: string,
  options: { messages: number; rounds: number; onRound?: (round: number, figures: TransportRound) => void },
): Promise<TransportFigures> {
  const envelopes = sampleOrderCreatedEnvelopes(options.messages);
  const messages: OutgoingMessage[] = envelopes.map((envelope) => ({
    subject: OrderCreated.subject,
    msgId: envelope.id,
    data: encodeEnvelope(envelope),
    headers: {},
  }));
  const body = messages[0]!.data;
  const nc = await connect({ servers: natsUrl, name: 'bench-transport' });
  const rounds: TransportRound[] = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const raw = await measureRawJetStream(natsUrl, {
        messages: options.messages,
        body,
        // The transport's own defaults, so only the code around the client differs.
        inFlight: JetStreamDefaults.maxPublishesInFlight,
        pullBatch: JetStreamDefaults.pullBatch,
        stream: `BENCH_RAW_${round}`,
      });
      // A fresh copy of each message per round: the dedup window would drop repeats.
      const roundMessages = messages.map((message) => ({ ...message, msgId: `${message.msgId}-${round}` }));
      const transportPublishPerSecond = await publishThroughTransport(nc, natsUrl, roundMessages);
      const transportConsumeAckPerSecond = await consumeThroughTransport(nc, natsUrl, options.messages, round);
      const figures = { raw, transportPublishPerSecond, transportConsumeAckPerSecond };
      rounds.push(figures);
      options.onRound?.(round, figures);
    }
  } finally {
    await nc.close();
  }
  const rawPublish = median(rounds.map((r) => r.raw.publishPerSecond));
  const rawConsume = median(rounds.map((r) => r.raw.consumeAckPerSecond));
  const publish = median(rounds.map((r) => r.transportPublishPerSecond));
  const consume = median(rounds.map((r) => r.transportConsumeAckPerSecond));
  return {
    messages: options.messages,
    messageBytes: body.length,
    rounds,
    rawPublishPerSecond: rawPublish,
    rawConsumeAckPerSecond: rawConsume,
    transportPublishPerSecond: publish,
    transportConsumeAckPerSecond: consume,
    // Round by round, then the median: raw and transport of one round ran back to back,
    // so a pair shares the machine's mood and its ratio is steadier than a ratio of medians.
    publishRatio: pairedRatio(rounds.map((r) => [r.transportPublishPerSecond, r.raw.publishPerSecond])),
    consumeAckRatio: pairedRatio(rounds.map((r) => [r.transportConsumeAckPerSecond, r.raw.consumeAckPerSecond])),
  };
}

async function publishThroughTransport(nc: NatsConnection, natsUrl: string, messages: OutgoingMessage[]): Promise<number> {
  const jsm = await jetstreamManager(nc);
  await provisionStreams(jsm);
  // Only this round's messages in the stream, for the consumer that follows.
  await jsm.streams.purge(Streams.ORDERS.name);
  // A connection set up as the services' own (JetStreamModule's), so the client runs with the transport's options.
  const connection = await connectToNats({ servers: natsUrl, name: 'bench-transport-publisher' });
  try {
    const publisher = new JetStreamPublisher(jetstream(connection));
    const start = performance.now();
    const results = await publisher.publishAll(messages);
    const elapsed = performance.now() - start;
    const failed = results.filter((result) => result.status === 'failed');
    if (failed.length > 0) throw new Error(`${failed.length} transport publishes failed`);
    return ratePerSecond(messages.length, elapsed);
  } finally {
    await connection.close();
  }
}

async function consumeThroughTransport(nc: NatsConnection, natsUrl: string, expected: number, round: number): Promise<number> {
  const consumer: ConsumerDefinition = {
    durable: `bench--transport-${round}`,
    stream: Streams.ORDERS.name,
    filterSubject: OrderCreated.subject,
    service: 'payments',
    description: 'Benchmark: the transport with a handler that does no work.',
  };
  const counter = new HandledCounter();

  @Module({ controllers: [NoWorkHandler], providers: [{ provide: COUNTER, useValue: counter }] })
  class TransportBenchModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(TransportBenchModule, {
    strategy: new JetStreamServer({ servers: natsUrl, name: 'bench-transport-consumer', consumers: [consumer] }),
    logger: false,
  });
  const jsm = await jetstreamManager(nc);
  try {
    const handled = counter.until(expected);
    await app.listen();
    await handled;
    await waitForAcks(jsm, consumer, expected);
    return firstToLastRate(expected, counter.lastAt - counter.firstAt);
  } finally {
    await app.close();
    await jsm.consumers.delete(consumer.stream, consumer.durable).catch(() => undefined);
  }
}

/** Every message must be acknowledged, or the measured rate would flatter the transport. */
async function waitForAcks(jsm: Awaited<ReturnType<typeof jetstreamManager>>, consumer: ConsumerDefinition, expected: number): Promise<void> {
  const deadline = Date.now() + ACK_SETTLE_TIMEOUT_MS;
  for (;;) {
    const info = await jsm.consumers.info(consumer.stream, consumer.durable);
    if (info.num_ack_pending === 0 && info.num_pending === 0 && info.delivered.consumer_seq >= expected) return;
    if (Date.now() >= deadline) {
      throw new Error(`${consumer.durable}: ${info.num_ack_pending} unacknowledged and ${info.num_pending} pending after the handler saw ${expected}`);
    }
    await sleep(50);
  }
}
