import type { JetStreamManager } from '@nats-io/jetstream';
import { DeadLetterConsumers, DeadLetterStreams } from '#contracts';
import { provisionConsumers, provisionStreams } from '#jetstream';
import { AdvisoryConsumerSettings } from './constants.js';

/**
 * Creates (or updates) DLQ_ADVISORIES and DEAD_LETTERS, each with its own max
 * age. Idempotent, so every instance may run it at start.
 */
export async function provisionDeadLetterStreams(jsm: JetStreamManager): Promise<void> {
  for (const stream of Object.values(DeadLetterStreams)) {
    await provisionStreams(jsm, { maxAgeMs: stream.maxAgeMs }, [stream]);
  }
}

/**
 * Creates (or updates) DLQ_ADVISORIES only: what every service provisions
 * (DEAD_LETTERS is the dead-letter office's, and only its NATS user may).
 */
export async function provisionAdvisoryStream(jsm: JetStreamManager): Promise<void> {
  const stream = DeadLetterStreams.DLQ_ADVISORIES;
  await provisionStreams(jsm, { maxAgeMs: stream.maxAgeMs }, [stream]);
}

/** Creates (or updates) the durable consumer that reads DLQ_ADVISORIES. */
export async function provisionAdvisoryConsumer(jsm: JetStreamManager): Promise<void> {
  await provisionConsumers(jsm, [DeadLetterConsumers.advisories], AdvisoryConsumerSettings);
}
