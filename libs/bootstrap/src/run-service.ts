import { Logger, type INestApplication, type NestApplicationOptions, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { ConsumerDefinition, ServiceName } from '#contracts';
import type { CommonEnv } from '#config';
import { isDatabaseUnavailable } from '#database';
import { JetStreamServer } from '#jetstream';
import { stopTracing } from '#telemetry';
import { SERVICE_NATS_OPTIONS, type ServiceNatsOptions } from './nats-options.js';
import { SERVICE_CONSUMERS } from './service-probes.js';

/**
 * First retry delay (then doubling, with jitter) for a handler that failed
 * because PostgreSQL could not be reached: 1.5 to 3 s, then 3 to 6 s, so the
 * default three deliveries outlast a restart of several seconds.
 */
const DATABASE_OUTAGE_RETRY_BASE_MS = 3_000;

export interface RunServiceOptions {
  name: ServiceName;
  /** The root module; it imports ServiceCoreModule, which names the consumers to run. */
  module: Type;
  /** HTTP set-up before listening (prefix, pipes, OpenAPI). */
  configureHttp?: (app: INestApplication) => void | Promise<void>;
  /** Nest's options for the app (say, `bodyParser: false` for a service that brings its own parser). */
  httpOptions?: NestApplicationOptions;
}

/**
 * Starts a service: HTTP (API or health) plus the JetStream consumers, and a
 * shutdown that stops consuming first, lets running handlers commit, then
 * closes the outbox relay, the database and NATS (in that order).
 */
export async function runService(options: RunServiceOptions): Promise<INestApplication> {
  const logger = new Logger(options.name);
  // Start-up lines wait for the pino logger (ServiceCoreModule) instead of going out in Nest's format.
  const app = await NestFactory.create(options.module, { ...options.httpOptions, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<ConfigService<CommonEnv, true>>(ConfigService);
  // One list for the consumers run here and those readiness and metrics watch.
  const consumerDefinitions = app.get<readonly ConsumerDefinition[]>(SERVICE_CONSUMERS);
  const server = new JetStreamServer({
    // The same user, inbox prefix and streams as the publishing side (ServiceCoreModule).
    ...app.get<ServiceNatsOptions>(SERVICE_NATS_OPTIONS),
    consumers: consumerDefinitions,
    consumerSettings: definedOnly({
      concurrency: config.get('CONSUMER_CONCURRENCY', { infer: true }),
      maxDeliver: config.get('CONSUMER_MAX_DELIVER', { infer: true }),
      ackWaitMs: config.get('CONSUMER_ACK_WAIT_MS', { infer: true }),
    }),
    retry: { outage: { isOutage: isDatabaseUnavailable, baseDelayMs: DATABASE_OUTAGE_RETRY_BASE_MS } },
  });
  const consumers = app.connectMicroservice({ strategy: server });
  await options.configureHttp?.(app);

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      logger.log(`${signal}: draining consumers`);
      await consumers.close();
      await app.close();
      // Last: the spans of the shutdown itself are exported too.
      await stopTracing();
      logger.log('stopped');
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));

  // Every module's init hooks first (the database checked, the KV bucket
  // opened, the relay started): a microservice connected to the app counts as
  // initialised, so startAllMicroservices alone would hand messages to
  // handlers whose providers are not ready yet, and a fast consumer spends a
  // message's deliveries in that window.
  await app.init();
  await app.startAllMicroservices();
  const port = config.get('PORT', { infer: true });
  await app.listen(port, process.env.HOST ?? '0.0.0.0');
  logger.log(`ready on port ${port}, consuming ${consumerDefinitions.map((c) => c.durable).join(', ')}`);
  return app;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
