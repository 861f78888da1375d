import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ConsumerDefinition } from '#contracts';

/** How many messages the server has redelivered to this durable consumer so far. */
export async function redeliveriesOf(nc: NatsConnection, consumer: Pick<ConsumerDefinition, 'stream' | 'durable'>): Promise<number> {
  const info = await (await jetstreamManager(nc)).consumers.info(consumer.stream, consumer.durable);
  return info.num_redelivered;
}
