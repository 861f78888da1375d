import { performance } from 'node:perf_hooks';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import pg from 'pg';
import { DUPLICATE_WINDOW_MS } from '#contracts';
import { firstToLastRate, ratePerSecond } from './stats.js';

/**
 * What the servers themselves can do on this machine, measured in the same
 * run as the pipeline: the official JetStream client publishing and
 * consuming without our transport around it, and PostgreSQL committing
 * single-row transactions. The pipeline's figures are read against these.
 */

export interface RawJetStreamRates {
  messages: number;
  messageBytes: number;
  /** Async publishes with unique Nats-Msg-Ids, `inFlight` awaiting their PubAck at once. */
  publishPerSecond: number;
  /** consume() with `pullBatch` messages per pull, ack() after each message; timed from the first message to the last ack. */
  consumeAckPerSecond: number;
  inFlight: number;
  pullBatch: number;
}

export interface PostgresCommitRate {
  connections: number;
  seconds: number;
  commits: number;
  /** Single-row INSERT transactions (autocommit) per second, over all connections. */
  commitsPerSecond: number;
}

/** A stream of its own, configured like the pipeline's (file storage, the same dedup window). */
const RAW_SUBJECT = 'bench.raw';

export async function measureRawJetStream(
  natsUrl: string,
  options: { messages: number; body: Uint8Array; inFlight: number; pullBatch: number; stream: string },
): Promise<RawJetStreamRates> {
  const nc = await connect({ servers: natsUrl, name: 'bench-raw-baseline' });
  try {
    const jsm = await jetstreamManager(nc);
    await recreateStream(jsm, options.stream, [`${RAW_SUBJECT}.${options.stream}`]);
    const js = jetstream(nc);
    const subject = `${RAW_SUBJECT}.${options.stream}`;

    const publishStart = performance.now();
    // A plain counter as the window: the client at its best, no per-message bookkeeping of ours.
    let inFlight = 0;
    let slotFreed: (() => void) | undefined;
    let failure: unknown;
    const settled = (): void => {
      inFlight -= 1;
      slotFreed?.();
    };
    for (let i = 0; i < options.messages; i++) {
      while (inFlight >= options.inFlight) await new Promise<void>((resolve) => (slotFreed = resolve));
      inFlight += 1;
      js.publish(subject, options.body, { msgID: `${options.stream}-${i}` }).then(settled, (error: unknown) => {
        failure ??= error;
        settled();
      });
    }
    while (inFlight > 0) await new Promise<void>((resolve) => (slotFreed = resolve));
    if (failure) throw failure;
    const publishMs = performance.now() - publishStart;

    await jsm.consumers.add(options.stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 1_000 });
    const consumer = await js.consumers.get(options.stream, 'raw');
    const messages = await consumer.consume({ max_messages: options.pullBatch });
    // From the first message to the last ack, as the transport benchmark times
    // its consumer: setting up a consumer is not consuming.
    let consumeStart = 0;
    let received = 0;
    for await (const message of messages) {
      if (received === 0) consumeStart = performance.now();
      message.ack();
      if (++received >= options.messages) break;
    }
    messages.stop();
    await nc.flush();
    const consumeMs = performance.now() - consumeStart;
    await jsm.streams.delete(options.stream);

    return {
      messages: options.messages,
      messageBytes: options.body.length,
      publishPerSecond: ratePerSecond(options.messages, publishMs),
      consumeAckPerSecond: firstToLastRate(options.messages, consumeMs),
      inFlight: options.inFlight,
      pullBatch: options.pullBatch,
    };
  } finally {
    await nc.close();
  }
}

export async function recreateStream(jsm: JetStreamManager, name: string, subjects: string[]): Promise<void> {
  await jsm.streams.delete(name).catch(() => undefined);
  await jsm.streams.add({
    name,
    subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}

/**
 * Single-row INSERT transactions from `connections` connections at once, for
 * `seconds`: the commit rate PostgreSQL gives this workload shape, the ceiling
 * of a pipeline that commits a few transactions per order.
 */
export async function measurePostgresCommits(databaseUrl: string, connections: number, seconds: number): Promise<PostgresCommitRate> {
  const table = 'public.bench_commit_rate';
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  const clients: pg.Client[] = [];
  try {
    await setup.query(`DROP TABLE IF EXISTS ${table}`);
    await setup.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    for (let i = 0; i < connections; i++) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      clients.push(client);
    }
    const payload = JSON.stringify({ orderId: '0190c0de-0000-7000-8000-000000000000', totalCents: 1234, note: 'x'.repeat(200) });
    let commits = 0;
    const start = performance.now();
    const end = start + seconds * 1_000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < end) {
          await client.query(`INSERT INTO ${table} (payload) VALUES ($1)`, [payload]);
          commits += 1;
        }
      }),
    );
    const elapsed = performance.now() - start;
    return { connections, seconds, commits, commitsPerSecond: ratePerSecond(commits, elapsed) };
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await setup.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await setup.end();
  }
}
