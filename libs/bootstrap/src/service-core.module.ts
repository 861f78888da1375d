import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { z } from 'zod';
import { consumersOf, type ConsumerDefinition, type ServiceName } from '#contracts';
import { parseEnv, type CommonEnv } from '#config';
import { DatabaseModule } from '#database';
import { JetStreamModule } from '#jetstream';
import { MessagingModule, type ServiceSchema } from '#messaging';
import { MetricsModule } from '#metrics';
import { pinoParams, setOperatorEventLevel } from '#telemetry';
import { AdvisoryCapture } from './advisory-capture.js';
import { HealthModule } from './health.module.js';
import { SERVICE_NATS_OPTIONS, serviceNatsOptions } from './nats-options.js';
import { SERVICE_CONSUMERS, SERVICE_SCHEMA, ServiceProbes } from './service-probes.js';

export interface ServiceCoreOptions<S extends z.ZodType<CommonEnv>> {
  service: ServiceName;
  /** The PostgreSQL schema the service owns. */
  schema: ServiceSchema;
  /** The service's environment schema (the common one, extended). */
  env: S;
  /** The durable consumers it runs, for readiness and metrics; default: its consumers in the contracts. */
  consumers?: readonly ConsumerDefinition[];
}

/**
 * What every service runs on: validated configuration, its logger, its PostgreSQL pool,
 * its NATS connection and publisher, its outbox and inbox, health checks and
 * metrics (GET /metrics).
 * The environment is parsed here, once, so a bad variable stops start-up with
 * a message naming it.
 */
@Global()
@Module({})
export class ServiceCoreModule {
  static forRoot<S extends z.ZodType<CommonEnv>>(options: ServiceCoreOptions<S>): DynamicModule {
    const env = parseEnv(options.env, process.env);
    const nats = serviceNatsOptions(options.service, env);
    setOperatorEventLevel(env.LOG_LEVEL);
    return {
      module: ServiceCoreModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: (raw) => parseEnv(options.env, raw),
        }),
        LoggerModule.forRoot(pinoParams({ service: options.service, level: env.LOG_LEVEL })),
        DatabaseModule.forRoot({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }),
        JetStreamModule.forRootAsync({ useFactory: () => nats }),
        MessagingModule.forRoot(options.schema, options.service),
        MetricsModule.forRoot({ service: options.service, summaryIntervalMs: env.METRICS_LOG_INTERVAL_MS }),
        HealthModule,
      ],
      providers: [
        AdvisoryCapture,
        { provide: SERVICE_SCHEMA, useValue: options.schema },
        { provide: SERVICE_NATS_OPTIONS, useValue: nats },
        { provide: SERVICE_CONSUMERS, useValue: options.consumers ?? consumersOf(options.service) },
        ServiceProbes,
      ],
      exports: [ServiceProbes],
    };
  }
}
