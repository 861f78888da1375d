import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Module, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Consumers, InventoryReserved, type EnvelopeOf } from '#contracts';
import { JetStreamPublisher, JetStreamServer, MessageController, encodeEnvelope } from '#jetstream';
import { startNatsServer, type NatsServer } from '#local-infra';
import { reservedOrderEvent } from './support/events.js';
import { createTestMicroservice } from './support/nest-app.js';

const handled = new Set<string>();
/** Set by the test: called by the handler of the last message, before its ack is even queued. */
let onLastHandled: (() => void) | undefined;
let expected = Infinity;

@MessageController()
class CountingHandler {
  @EventPattern(InventoryReserved.subject)
  handle(@Payload() event: EnvelopeOf<typeof InventoryReserved>): void {
    handled.add(event.id);
    if (handled.size === expected) onLastHandled?.();
  }
}

@Module({ controllers: [CountingHandler] })
class CloseTestModule {}

/**
 * Acks go out in batches, an event-loop turn after their handlers finish:
 * closing the transport right after the handlers must still send every one
 * of them before the connection is drained, or those messages would be
 * delivered again after the ack wait.
 */
describe('JetStream transport close', () => {
  const consumer = Consumers.paymentsOnInventoryReserved;
  let server: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('sends the acks of every finished handler before it drains', async () => {
    const app: INestMicroservice = await createTestMicroservice(CloseTestModule, {
      logger: false,
      strategy: new JetStreamServer({ name: 'close-test', servers: server.url, consumers: [consumer] }),
    });
    await app.listen();
    const events = Array.from({ length: 300 }, () => reservedOrderEvent());
    expected = events.length;
    const lastHandled = new Promise<void>((resolve) => (onLastHandled = resolve));
    const results = await new JetStreamPublisher(jetstream(nc)).publishAll(
      events.map((event) => ({ subject: event.type, msgId: event.id, data: encodeEnvelope(event) })),
    );
    expect(results.every((result) => result.status === 'stored')).toBe(true);

    // Closes within the same event-loop turn as the last handler, before a batch of acks could go out on its own.
    await lastHandled;
    await app.close();

    const info = await (await jetstreamManager(nc)).consumers.info(consumer.stream, consumer.durable);
    expect({ ackPending: info.num_ack_pending, waiting: info.num_pending, acked: info.ack_floor.stream_seq }).toEqual({
      ackPending: 0,
      waiting: 0,
      acked: events.length,
    });
  });
});
