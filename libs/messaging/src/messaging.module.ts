import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Provider,
  type Type,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CommonEnv } from '#config';
import { SqlDatabase, type SqlClient, type TransactionalSqlClient } from '#database';
import { JetStreamPublisher } from '#jetstream';
import { IdempotentConsumer } from './apply-once.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxWriter } from './outbox-writer.js';
import type { ServiceSchema } from './service-schema.js';

/**
 * The IdempotentConsumer provider on `client`, transactions shared as
 * CONSUMER_TRANSACTION_BATCH says. MessagingModule provides it on SqlDatabase
 * (plain SQL); a service whose units of work want Prisma's typed client
 * provides it again in its own module on PrismaService.
 */
export function idempotentConsumerOn<Tx extends SqlClient>(client: Type<TransactionalSqlClient<Tx>>, schema: ServiceSchema): Provider {
  return {
    provide: IdempotentConsumer,
    inject: [client, ConfigService],
    useFactory: (db: TransactionalSqlClient<Tx>, config: ConfigService<CommonEnv, true>) =>
      new IdempotentConsumer(db, schema, {
        maxUnits: config.get('CONSUMER_TRANSACTION_BATCH', { infer: true }),
        // Units share a transaction only once every pooled connection is busy.
        maxTransactions: config.get('DATABASE_POOL_SIZE', { infer: true }),
      }),
  };
}

/**
 * The service's outbox (writer and relay) and inbox, bound to the PostgreSQL
 * schema it owns. Needs DatabaseModule, JetStreamModule and ConfigModule.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly config: ConfigService<CommonEnv, true>,
  ) {}

  static forRoot(schema: ServiceSchema): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: OutboxWriter, useValue: new OutboxWriter(schema) },
        idempotentConsumerOn(SqlDatabase, schema),
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
      ],
      exports: [OutboxWriter, IdempotentConsumer, OutboxRelay],
    };
  }

  onApplicationBootstrap(): void {
    if (this.config.get('OUTBOX_RELAY_ENABLED', { infer: true })) this.relay.start();
  }

  /** Stops the relay before the database and NATS connections go away. */
  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}
