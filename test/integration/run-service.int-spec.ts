import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Injectable, Module, type INestApplication, type OnModuleInit, type Type } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { runService } from '#bootstrap';
import { JetStreamPublisher, encodeEnvelope, provisionStreams } from '#jetstream';
import { startNatsServer, startTogether, type NatsServer } from '#local-infra';
import { startTestDatabase, type TestDatabase } from './support/database.js';
import { eventually, reservedOrderEvent } from './support/events.js';

/** How long the slow provider's init hook takes: ample time for a consumer that started too early to handle a waiting message. */
const SLOW_INIT_MS = 1_500;

/**
 * runService must run every module's init hooks before the consumers pull a
 * message. Nest counts a connected microservice as initialised, so starting
 * the microservices first once handed messages to handlers whose providers
 * were not ready (the KV mirror's bucket not yet open), and each such message
 * spent a delivery. Here a message waits in the stream before payments starts,
 * and a provider's init hook takes SLOW_INIT_MS: no payment may exist when the
 * hook ends, and one must exist soon after.
 */
describe('runService start-up order', () => {
  let nats: NatsServer;
  let db: TestDatabase;
  let nc: NatsConnection;
  let app: INestApplication | undefined;
  const paymentsWhenInitEnded: number[] = [];

  beforeAll(async () => {
    [nats, db] = await startTogether(startNatsServer(), startTestDatabase({ label: 'run_service' }));
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await Promise.all([nats?.stop(), db?.stop()]);
  });

  it('handles no message before every init hook has finished', async () => {
    await provisionStreams(await jetstreamManager(nc));
    const event = reservedOrderEvent();
    await new JetStreamPublisher(jetstream(nc)).publish({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) });

    const { user, pass } = nats.credentials.payments;
    Object.assign(process.env, { NATS_URL: nats.url, NATS_USER: user, NATS_PASSWORD: pass, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error' });
    const { PaymentsModule } = await import('../../apps/payments/src/payments.module.js');
    app = await runService({ name: 'payments', module: withSlowInit(PaymentsModule, () => db.prisma.payment.count(), paymentsWhenInitEnded) });

    expect(paymentsWhenInitEnded).toEqual([0]);
    await eventually(async () => (await db.prisma.payment.count({ where: { orderId: event.payload.orderId } })) === 1, 15_000, 'the payment');
  });
});

/** `root` plus a provider whose init hook takes SLOW_INIT_MS and then records `count()`. */
function withSlowInit(root: Type, count: () => Promise<number>, counts: number[]): Type {
  @Injectable()
  class SlowInit implements OnModuleInit {
    async onModuleInit(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, SLOW_INIT_MS));
      counts.push(await count());
    }
  }
  @Module({ imports: [root], providers: [SlowInit] })
  class SlowInitRoot {}
  return SlowInitRoot;
}
