import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ServiceName } from '#contracts';
import type { CommonEnv } from '#config';
import { SqlDatabase } from '#database';
import { JetStreamPublisher, NATS_CONNECTION } from '#jetstream';
import { OutboxBacklog } from './outbox-backlog.js';
import { OutboxBacklogReporter } from './outbox-backlog-reporter.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxWriter } from './outbox-writer.js';
import { RetentionPruner } from './retention-pruner.js';
import type { ServiceSchema } from './service-schema.js';
import { IdempotentBatchConsumer } from './unit-of-work/idempotent-batch.js';
import { UnitsOfWork } from './unit-of-work/units-of-work.js';

/**
 * The service's outbox (writer and relay) and inbox, bound to the PostgreSQL
 * schema it owns. Needs DatabaseModule, JetStreamModule and ConfigModule.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly pruner: RetentionPruner,
    private readonly backlogReporter: OutboxBacklogReporter,
    private readonly config: ConfigService<CommonEnv, true>,
  ) {}

  static forRoot(schema: ServiceSchema, service: ServiceName): DynamicModule {
    const outbox = new OutboxWriter(schema);
    return {
      module: MessagingModule,
      providers: [
        { provide: OutboxWriter, useValue: outbox },
        // The set-based units of work (a batch of events, a request, a message) run on plain SQL.
        {
          provide: UnitsOfWork,
          inject: [SqlDatabase, ConfigService],
          useFactory: (db: SqlDatabase, config: ConfigService<CommonEnv, true>) =>
            new UnitsOfWork(db, outbox, {
              maxUnits: config.get('GROUP_COMMIT_MAX_UNITS', { infer: true }),
              maxTransactions: config.get('GROUP_COMMIT_MAX_TRANSACTIONS', { infer: true }),
              // Test-only fault injection, 0 (off) unless the chaos tests set it.
              crashInBatchTransaction: config.get('FAULT_CRASH_IN_BATCH_TRANSACTION', { infer: true }),
            }),
        },
        { provide: IdempotentBatchConsumer, inject: [UnitsOfWork], useFactory: (units: UnitsOfWork) => new IdempotentBatchConsumer(units, schema) },
        {
          provide: OutboxRelay,
          inject: [SqlDatabase, JetStreamPublisher, ConfigService],
          useFactory: (db: SqlDatabase, publisher: JetStreamPublisher, config: ConfigService<CommonEnv, true>) =>
            new OutboxRelay(db, publisher, {
              schema,
              databaseUrl: config.get('DATABASE_URL', { infer: true }),
              batchSize: config.get('OUTBOX_BATCH_SIZE', { infer: true }),
              pollIntervalMs: config.get('OUTBOX_POLL_INTERVAL_MS', { infer: true }),
              // Test-only fault injection, 0 (off) unless the chaos tests set it.
              crashAfterPublishBatch: config.get('FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH', { infer: true }),
            }),
        },
        {
          provide: RetentionPruner,
          inject: [SqlDatabase, ConfigService],
          useFactory: (db: SqlDatabase, config: ConfigService<CommonEnv, true>) =>
            new RetentionPruner(db, {
              schema,
              outboxRetentionMs: config.get('OUTBOX_RETENTION_MS', { infer: true }),
              inboxRetentionMs: config.get('INBOX_RETENTION_MS', { infer: true }),
              intervalMs: config.get('RETENTION_PRUNE_INTERVAL_MS', { infer: true }),
            }),
        },
        // Its backlog, put where orders-api's operations API reads every service's.
        {
          provide: OutboxBacklogReporter,
          inject: [SqlDatabase, NATS_CONNECTION],
          useFactory: (db: SqlDatabase, connection: NatsConnection) => new OutboxBacklogReporter(new OutboxBacklog(db, schema), connection, { service }),
        },
      ],
      exports: [OutboxWriter, IdempotentBatchConsumer, UnitsOfWork, OutboxRelay, RetentionPruner],
    };
  }

  onApplicationBootstrap(): void {
    if (this.config.get('OUTBOX_RELAY_ENABLED', { infer: true })) this.relay.start();
    if (this.config.get('RETENTION_PRUNE_INTERVAL_MS', { infer: true }) > 0) this.pruner.start();
    this.backlogReporter.start();
  }

  /** Stops the relay, the pruner and the backlog reports before the database and NATS connections go away. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.relay.stop(), this.pruner.stop(), this.backlogReporter.stop()]);
  }
}
