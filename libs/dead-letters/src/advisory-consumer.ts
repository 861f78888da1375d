import { Logger } from '@nestjs/common';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { DeadLetterConsumers } from '#contracts';
import { retryDelayMs } from '#jetstream';
import { InvalidAdvisoryError, parseAdvisory } from './advisory.js';
import { AdvisoryConsumerSettings, AdvisoryRetry } from './constants.js';
import type { DeadLetterRecorder } from './dead-letter-recorder.js';

/**
 * Reads the captured advisories (durable pull consumer on DLQ_ADVISORIES) and
 * records each as a dead letter, acknowledging it only after the dead letter
 * is published and stored. Reads JetStream directly rather than through
 * JetStreamServer: advisories are the server's JSON, not our event envelopes.
 */
export class AdvisoryConsumer {
  private readonly logger = new Logger(AdvisoryConsumer.name);
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly recorder: Pick<DeadLetterRecorder, 'record'>,
  ) {}

  /** Starts consuming; the durable consumer must exist (provisionAdvisoryConsumer). */
  async start(): Promise<void> {
    if (this.messages) return;
    const { stream, durable } = DeadLetterConsumers.advisories;
    const consumer = await this.js.consumers.get(stream, durable);
    const messages = await consumer.consume({ max_messages: AdvisoryConsumerSettings.pullBatch });
    this.messages = messages;
    this.loop = this.consume(messages);
  }

  /** Stops pulling and waits for the advisory in hand; unacknowledged ones come back later. */
  async stop(): Promise<void> {
    const messages = this.messages;
    if (!messages) return;
    this.messages = undefined;
    messages.stop();
    await this.loop;
  }

  private async consume(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      // One advisory's trouble (a lost connection while naking, say) must not
      // end the loop; the server redelivers what was not acknowledged.
      await this.handle(message).catch((error: unknown) =>
        this.logger.error(`advisory #${message.seq} not settled: ${(error as Error).message}`),
      );
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    let advisory;
    try {
      advisory = parseAdvisory(message.subject, message.data);
    } catch (error) {
      if (!(error instanceof InvalidAdvisoryError)) throw error;
      // Retrying cannot make it readable. Terminating leaves it in the stream
      // and makes the server emit a MSG_TERMINATED advisory about it, which
      // this consumer records as an 'invalid' dead letter of DLQ_ADVISORIES.
      this.logger.error(`${error.message}; terminating advisory #${message.seq}`);
      message.term();
      return;
    }
    try {
      await this.recorder.record(advisory);
      await message.ackAck();
    } catch (error) {
      const delay = retryDelayMs(message.info.deliveryCount, AdvisoryRetry.baseDelayMs, AdvisoryRetry.maxDelayMs);
      this.logger.warn(
        `could not record the dead letter of ${advisory.stream} #${advisory.streamSeq} (${advisory.consumer}), retry in ${delay} ms: ${(error as Error).message}`,
      );
      message.nak(delay);
    }
  }
}
