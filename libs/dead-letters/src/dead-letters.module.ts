import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { PrismaService } from '#database';
import { NATS_CONNECTION } from '#jetstream';
import { AdvisoryConsumer } from './advisory-consumer.js';
import { DEAD_LETTER_OFFICE_ENABLED } from './constants.js';
import { DeadLetterRecorder } from './dead-letter-recorder.js';
import { DeadLetterService } from './dead-letter.service.js';
import { provisionAdvisoryConsumer, provisionDeadLetterStreams } from './dead-letter-provisioning.js';

const enabledSchema = z
  .enum(['true', 'false', '1', '0'])
  .default('true')
  .transform((v) => v === 'true' || v === '1');

/**
 * The dead-letter office: records every message a consumer gave up on, and
 * the service operators use to inspect, replay and discard them. Needs the
 * global PrismaService (DatabaseModule), NATS_CONNECTION (JetStreamModule)
 * and ConfigService.
 *
 * `DEAD_LETTER_OFFICE_ENABLED=false` keeps this instance from consuming
 * advisories (another may); they wait in DLQ_ADVISORIES. The streams are
 * provisioned either way, so advisories are captured from the first start.
 */
@Module({
  providers: [
    {
      provide: DeadLetterRecorder,
      inject: [PrismaService, NATS_CONNECTION],
      useFactory: async (prisma: PrismaService, nc: NatsConnection) =>
        new DeadLetterRecorder(prisma, await jetstreamManager(nc), jetstream(nc)),
    },
    {
      provide: AdvisoryConsumer,
      inject: [NATS_CONNECTION, DeadLetterRecorder],
      useFactory: (nc: NatsConnection, recorder: DeadLetterRecorder) => new AdvisoryConsumer(jetstream(nc), recorder),
    },
    {
      provide: DeadLetterService,
      inject: [PrismaService, NATS_CONNECTION],
      useFactory: (prisma: PrismaService, nc: NatsConnection) => new DeadLetterService(prisma, jetstream(nc)),
    },
  ],
  exports: [DeadLetterService, AdvisoryConsumer, DeadLetterRecorder],
})
export class DeadLettersModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeadLettersModule.name);
  private readonly enabled: boolean;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly advisories: AdvisoryConsumer,
    config: ConfigService,
  ) {
    this.enabled = officeEnabled(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await provisionDeadLetterStreams(jsm);
    await provisionAdvisoryConsumer(jsm);
    if (!this.enabled) {
      this.logger.log(`${DEAD_LETTER_OFFICE_ENABLED}=false: advisories wait in their stream for another instance`);
      return;
    }
    await this.advisories.start();
  }

  /** Before the database and NATS close (they do on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.advisories.stop();
  }
}

/**
 * Read here, with its default, rather than in the common environment schema:
 * only services that import this module have the setting. Checked when the
 * module is built, so a bad value stops start-up before anything runs.
 */
function officeEnabled(config: ConfigService): boolean {
  const parsed = enabledSchema.safeParse(config.get<string>(DEAD_LETTER_OFFICE_ENABLED));
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n  ${DEAD_LETTER_OFFICE_ENABLED}: expected true, false, 1 or 0`);
  }
  return parsed.data;
}
