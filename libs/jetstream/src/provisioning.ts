import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { DUPLICATE_WINDOW_MS, Streams, type ConsumerDefinition } from '#contracts';
import { JetStreamDefaults, type ConsumerSettings } from './constants.js';

/** JetStream API error code for "stream not found" / "consumer not found". */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

export interface StreamSettings {
  replicas: number;
  maxAgeMs: number;
}

/**
 * What provisioning needs of a stream or consumer: the pipeline's own
 * (`Streams`, `Consumers`) and others declared in the contracts, such as the
 * dead-letter streams, which are not keyed by event stream names.
 */
export type ProvisionedStream = { readonly name: string; readonly subjects: readonly string[]; readonly description: string };
export type ProvisionedConsumer = Pick<ConsumerDefinition, 'durable' | 'filterSubject' | 'description'> & {
  readonly stream: string;
};

/**
 * Creates each stream, or updates it to the declared configuration. Every
 * service provisions the streams it publishes to and reads (libs/contracts
 * streamsUsedBy; its NATS user may manage no other), so start order does not
 * matter; two services racing to create one converge on the same configuration.
 *
 * Only fields NATS 2.9 understands are sent (no `compression`, no
 * `sync_interval`): an unknown field makes an older server refuse the request.
 */
export async function provisionStreams(
  jsm: JetStreamManager,
  settings: Partial<StreamSettings> = {},
  streams: readonly ProvisionedStream[] = Object.values(Streams),
): Promise<void> {
  for (const stream of streams) {
    const config: Partial<StreamConfig> & { name: string } = {
      name: stream.name,
      subjects: [...stream.subjects],
      description: stream.description,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      num_replicas: settings.replicas ?? 1,
      max_age: nanos(settings.maxAgeMs ?? JetStreamDefaults.streamMaxAgeMs),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    };
    await createOrUpdate(
      () => jsm.streams.info(stream.name),
      () => jsm.streams.add(config),
      () => jsm.streams.update(stream.name, config),
      STREAM_NOT_FOUND,
    );
  }
}

/**
 * Creates each durable pull consumer, or updates its tunable settings.
 *
 * No `backoff` list: on NATS 2.9.10 it also overrides the delay of a
 * `nak(delay)` from the second nak on (a retry asked for in 85 ms came after
 * the second backoff step), so handler retries would stall. A silent worker
 * (crash, hang) is redelivered after `ack_wait` instead.
 */
export async function provisionConsumers(
  jsm: JetStreamManager,
  consumers: readonly ProvisionedConsumer[],
  settings: ConsumerSettings,
): Promise<void> {
  for (const consumer of consumers) {
    const tunable: Partial<ConsumerConfig> = {
      description: consumer.description,
      ack_wait: nanos(settings.ackWaitMs),
      max_deliver: settings.maxDeliver,
      max_ack_pending: settings.maxAckPending,
    };
    await createOrUpdate(
      () => jsm.consumers.info(consumer.stream, consumer.durable),
      () =>
        jsm.consumers.add(consumer.stream, {
          ...tunable,
          durable_name: consumer.durable,
          filter_subject: consumer.filterSubject,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
        }),
      () => jsm.consumers.update(consumer.stream, consumer.durable, tunable),
      CONSUMER_NOT_FOUND,
    );
  }
}

async function createOrUpdate(
  info: () => Promise<unknown>,
  create: () => Promise<unknown>,
  update: () => Promise<unknown>,
  notFoundCode: number,
): Promise<void> {
  try {
    await info();
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== notFoundCode) throw error;
    try {
      await create();
      return;
    } catch (createError) {
      // Another instance created it between our info and add: fall through to update.
      if (!(createError instanceof JetStreamApiError)) throw createError;
    }
  }
  await update();
}
