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
import { AppliedEvents } from './applied-events.js';
import { DEAD_LETTER_OFFICE_ENABLED, DEAD_LETTER_RECONCILE_INTERVAL_MS } from './constants.js';
import { DeadLetterReconciler } from './dead-letter-reconciler.js';
import { DeadLetterRecorder } from './dead-letter-recorder.js';
import { DeadLetterService } from './dead-letter.service.js';
import { provisionAdvisoryConsumer, provisionDeadLetterStreams } from './dead-letter-provisioning.js';

const enabledSchema = z
  .enum(['true', 'false', '1', '0'])
  .default('true')
  .transform((v) => v === 'true' || v === '1');

const intervalSchema = z.coerce.number().int().min(0).default(2_000);

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
    { provide: AppliedEvents, inject: [PrismaService], useFactory: (prisma: PrismaService) => new AppliedEvents(prisma) },
    {
      provide: DeadLetterRecorder,
      inject: [PrismaService, NATS_CONNECTION, AppliedEvents],
      useFactory: async (prisma: PrismaService, nc: NatsConnection, applied: AppliedEvents) =>
        new DeadLetterRecorder(prisma, await jetstreamManager(nc), jetstream(nc), applied),
    },
    {
      provide: DeadLetterReconciler,
      inject: [PrismaService, AppliedEvents, ConfigService],
      useFactory: (prisma: PrismaService, applied: AppliedEvents, config: ConfigService) =>
        new DeadLetterReconciler(prisma, applied, reconcileIntervalMs(config)),
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
  exports: [DeadLetterService, AdvisoryConsumer, DeadLetterRecorder, DeadLetterReconciler],
})
export class DeadLettersModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeadLettersModule.name);
  private readonly enabled: boolean;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly advisories: AdvisoryConsumer,
    private readonly reconciler: DeadLetterReconciler,
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
    this.reconciler.start();
  }

  /** Before the database and NATS close (they do on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.advisories.stop(), this.reconciler.stop()]);
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

/** How often open dead letters are checked against their consumers' inboxes; 0 turns it off. */
function reconcileIntervalMs(config: ConfigService): number {
  const parsed = intervalSchema.safeParse(config.get<string>(DEAD_LETTER_RECONCILE_INTERVAL_MS));
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n  ${DEAD_LETTER_RECONCILE_INTERVAL_MS}: expected a whole number of milliseconds, 0 or more`);
  }
  return parsed.data;
}
