import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { provisionDeadLetterStreams } from '#dead-letters';
import { NATS_CONNECTION } from '#jetstream';

/**
 * Every service makes sure the streams that capture the server's
 * give-up advisories exist before it consumes anything. Advisories are plain
 * NATS messages: if a worker gave up on a message before the dead-letter
 * office (in orders-api) had ever started, nobody would have kept the record.
 */
@Injectable()
export class AdvisoryCapture implements OnModuleInit {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onModuleInit(): Promise<void> {
    await provisionDeadLetterStreams(await jetstreamManager(this.connection));
  }
}
