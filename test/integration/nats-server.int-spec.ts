import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { startNatsServer, type NatsServer } from '#local-infra';

/**
 * The local NATS helper gives the tests what they rely on: a real JetStream
 * that deduplicates by Nats-Msg-Id (invariant 2) and keeps its data on disk
 * across a restart (the broker-restart cases of later tests).
 */
describe('local nats-server', () => {
  const STREAM = 'LOCALINFRA';
  const SUBJECT = 'localinfra.test';
  let server: NatsServer;
  let nc: NatsConnection | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterEach(async () => {
    await nc?.close();
    nc = undefined;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('deduplicates a publish by msgID', async () => {
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: [SUBJECT], duplicate_window: nanos(60_000) });
    const js = jetstream(nc);

    const data = new TextEncoder().encode('{"hello":"world"}');
    const first = await js.publish(SUBJECT, data, { msgID: 'event-1' });
    const second = await js.publish(SUBJECT, data, { msgID: 'event-1' });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect((await jsm.streams.info(STREAM)).state.messages).toBe(1);
  });

  it('keeps streams and messages across a restart on the same port and store', async () => {
    const portBefore = server.port;
    await server.restart();
    expect(server.port).toBe(portBefore);

    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(STREAM);
    expect(info.state.messages).toBe(1);

    const msg = await jsm.streams.getMessage(STREAM, { seq: info.state.first_seq });
    expect(msg?.string()).toBe('{"hello":"world"}');
  });

  it('recovers acknowledged messages after a SIGKILL', async () => {
    nc = await connect({ servers: server.url });
    const js = jetstream(nc);
    await js.publish(SUBJECT, new TextEncoder().encode('after-restart'), { msgID: 'event-2' });
    await nc.close();
    nc = undefined;

    await server.kill();
    await server.restart();

    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    // A kill loses no data here because the OS page cache survives a process
    // crash; a machine crash is another matter (see deploy/nats/nats-server.conf).
    expect((await jsm.streams.info(STREAM)).state.messages).toBe(2);
  });
});
