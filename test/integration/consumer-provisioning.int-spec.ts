import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { Consumers, Streams } from '#contracts';
import { provisionConsumers, provisionStreams } from '#jetstream';
import { startNatsServer, type NatsServer } from '#local-infra';

/**
 * Streams and consumers are declared in code and provisioned at every start:
 * creating them the first time, converging on changed settings later, and
 * accepted by the NATS 2.9 server this machine runs.
 */
describe('provisioning', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const consumer = Consumers.paymentsOnInventoryReserved;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('creates every stream, and a second run changes nothing', async () => {
    await provisionStreams(jsm);
    await provisionStreams(jsm);
    const names = [];
    for await (const name of jsm.streams.names()) names.push(name);
    expect(names.sort()).toEqual(Object.values(Streams).map((s) => s.name).sort());
  });

  it('creates a consumer, then updates its settings in place', async () => {
    await provisionConsumers(jsm, [consumer], { ackWaitMs: 2_000, maxDeliver: 3, maxAckPending: 100, concurrency: 1, pullBatch: 1 });
    let info = await jsm.consumers.info(consumer.stream, consumer.durable);
    expect(info.config).toMatchObject({ max_deliver: 3, filter_subject: consumer.filterSubject, max_ack_pending: 100 });
    expect(info.config.ack_wait).toBe(nanos(2_000));

    await provisionConsumers(jsm, [consumer], { ackWaitMs: 1_000, maxDeliver: 5, maxAckPending: 200, concurrency: 1, pullBatch: 1 });
    info = await jsm.consumers.info(consumer.stream, consumer.durable);
    expect(info.config).toMatchObject({ max_deliver: 5, max_ack_pending: 200 });
    expect(info.config.ack_wait).toBe(nanos(1_000));
  });
});
