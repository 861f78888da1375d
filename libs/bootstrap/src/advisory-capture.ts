import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { provisionAdvisoryStream } from '#dead-letters';
import { NATS_CONNECTION } from '#jetstream';

/**
 * Every service makes sure the stream that captures the server's give-up
 * advisories (DLQ_ADVISORIES) exists before it consumes anything.
 * Advisories are plain NATS messages: if a worker gave up on a message
 * before the dead-letter office (in orders-api) had ever started, nobody
 * would have kept the record.
 */
@Injectable()
export class AdvisoryCapture implements OnModuleInit {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onModuleInit(): Promise<void> {
    await provisionAdvisoryStream(await jetstreamManager(this.connection));
  }
}
