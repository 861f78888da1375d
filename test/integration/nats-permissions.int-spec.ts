import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { natsInboxPrefix, type ServiceName } from '#contracts';
import { provisionStreams } from '#jetstream';
import { startNatsServer, type NatsServer } from '#local-infra';

/**
 * Each service is a NATS user allowed only what libs/contracts says it emits
 * and consumes (nats-permissions.ts, rendered by tools/contracts into the
 * server's configuration, here by the local server as in a deployment). The
 * server refuses the rest: a publish of another service's event, core or
 * JetStream, a subscription to a subject the service does not own, a
 * consumer the contracts do not give it.
 */
describe('NATS permissions per service', () => {
  let nats: NatsServer;
  let admin: NatsConnection;
  const opened: NatsConnection[] = [];

  /** Connects as the service does: its user, and replies below its own inbox prefix. */
  async function connectAs(service: ServiceName): Promise<NatsConnection> {
    const nc = await connect({ servers: nats.url, ...nats.credentials[service], name: `${service}-test`, inboxPrefix: natsInboxPrefix(service) });
    opened.push(nc);
    return nc;
  }

  const messagesIn = async (stream: string) => (await (await jetstreamManager(admin)).streams.info(stream)).state.messages;

  beforeAll(async () => {
    nats = await startNatsServer();
    // The bare URL is the admin: it sets up the streams, as any service would at start.
    admin = await connect({ servers: nats.url });
    await provisionStreams(await jetstreamManager(admin));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((nc) => nc.close()));
  });

  afterAll(async () => {
    await admin?.close();
    await nats?.stop();
  });

  it('accepts payments publishing its own event and refuses it orders.created, through JetStream and core NATS', async () => {
    const nc = await connectAs('payments');
    const js = jetstream(nc);
    const statuses = collectStatuses(nc);

    const ack = await js.publish('payments.succeeded', '{}', { msgID: 'own-1' });
    expect(ack).toMatchObject({ stream: 'PAYMENTS', duplicate: false });

    await expect(js.publish('orders.created', '{}', { msgID: 'foreign-1' })).rejects.toThrow(
      'Permissions Violation for Publish to "orders.created"',
    );
    nc.publish('orders.created', '{}');
    await nc.flush();

    expect(await messagesIn('ORDERS')).toBe(0);
    expect(statuses.filter((s) => s.type === 'error').map((s) => (s as { error: Error }).error.message)).toContain(
      'Permissions Violation for Publish to "orders.created"',
    );
    // The server says who tried what.
    expect(nats.output()).toMatch(/Publish Violation - User "payments", Subject "orders\.created"/);
    // A refusal does not cost the connection: its own events still go through.
    expect(nc.isClosed()).toBe(false);
    await expect(js.publish('payments.failed', '{}', { msgID: 'own-2' })).resolves.toMatchObject({ stream: 'PAYMENTS' });
  });

  it('accepts shipments publishing its own event and refuses it a payments event', async () => {
    const js = jetstream(await connectAs('shipments'));
    await expect(js.publish('shipments.prepared', '{}', { msgID: 'own-3' })).resolves.toMatchObject({ stream: 'SHIPMENTS' });
    const before = await messagesIn('PAYMENTS');
    await expect(js.publish('payments.succeeded', '{}', { msgID: 'foreign-2' })).rejects.toThrow(
      'Permissions Violation for Publish to "payments.succeeded"',
    );
    expect(await messagesIn('PAYMENTS')).toBe(before);
  });

  it('refuses a subscription to a subject the service does not own, and to another service’s replies', async () => {
    const nc = await connectAs('payments');
    for (const subject of ['orders.created', '_INBOX.shipments.>', '$JS.EVENT.ADVISORY.>']) {
      const subscription = nc.subscribe(subject);
      await expect(
        (async () => {
          for await (const _ of subscription) break;
        })(),
      ).rejects.toThrow(`Permissions Violation for Subscription to "${subject}"`);
    }
  });

  it('lets payments create its own consumer as the contracts define it, and no other', async () => {
    const jsm = await jetstreamManager(await connectAs('payments'));
    const own = await jsm.consumers.add('INVENTORY', {
      durable_name: 'payments--inventory-reserved',
      filter_subject: 'inventory.reserved',
      ack_policy: AckPolicy.Explicit,
    });
    expect(own.name).toBe('payments--inventory-reserved');
    // Its name, but reading more than the contract says; the consumer it had before it charged on a reservation;
    // another service's consumer; an ephemeral one.
    for (const [stream, durable, filter] of [
      ['INVENTORY', 'payments--inventory-reserved', 'inventory.>'],
      ['ORDERS', 'payments--orders-created', 'orders.created'],
      ['ORDERS', 'shipments--orders-cancelled', 'orders.cancelled'],
      ['INVENTORY', undefined, 'inventory.reserved'],
    ] as const) {
      await expect(
        jsm.consumers.add(stream, { ...(durable && { durable_name: durable }), filter_subject: filter, ack_policy: AckPolicy.Explicit }),
      ).rejects.toThrow(/Permissions Violation/);
    }
    await expect(jsm.streams.delete('ORDERS')).rejects.toThrow(/Permissions Violation/);
  });

  it('refuses a wrong password', async () => {
    await expect(connect({ servers: nats.url, user: 'payments', pass: `${nats.credentials.payments.pass}x` })).rejects.toThrow(
      /Authorization Violation/,
    );
  });

  it('keeps the users and passwords across a restart', async () => {
    await nats.restart();
    const js = jetstream(await connectAs('payments'));
    await expect(js.publish('payments.succeeded', '{}', { msgID: 'own-after-restart' })).resolves.toMatchObject({ stream: 'PAYMENTS' });
    await expect(js.publish('orders.created', '{}', { msgID: 'foreign-after-restart' })).rejects.toThrow(/Permissions Violation/);
  });
});

function collectStatuses(nc: NatsConnection): Status[] {
  const seen: Status[] = [];
  void (async () => {
    for await (const status of nc.status()) seen.push(status);
  })();
  return seen;
}
