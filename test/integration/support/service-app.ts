import type { INestApplication, LogLevel, NestApplicationOptions, Type } from '@nestjs/common';
import { serviceNatsOptions } from '#bootstrap';
import { consumersOf } from '#contracts';
import { JetStreamServer, type JetStreamServerOptions } from '#jetstream';
import type { NatsServer } from '#local-infra';
import { createTestApp } from './nest-app.js';

/** The worker services a test runs in its own process, each with its root module (imported on demand). */
const ROOT_MODULES = {
  payments: async (): Promise<Type> => (await import('../../../apps/payments/src/payments.module.js')).PaymentsModule,
  shipments: async (): Promise<Type> => (await import('../../../apps/shipments/src/shipments.module.js')).ShipmentsModule,
  analytics: async (): Promise<Type> => (await import('../../../apps/analytics/src/analytics.module.js')).AnalyticsModule,
};

export interface ServiceAppOptions {
  service: keyof typeof ROOT_MODULES;
  /** The server; the service connects as its own user, as in a deployment. */
  nats: Pick<NatsServer, 'url' | 'credentials'>;
  databaseUrl: string;
  /** Settings of this test (gateway rates and latency, outbox, metrics); PORT 0 and the URLs are set here. */
  env?: Record<string, string>;
  /** Transport settings other than the defaults (fewer deliveries, shorter retry delays). */
  transport?: Pick<JetStreamServerOptions, 'consumerSettings' | 'retry'>;
  /** Nest's log levels; false for none. Default: errors only. */
  logger?: LogLevel[] | false;
  /** A service with a public API: how its app is created and its HTTP surface set up (main.ts's configureHttp). */
  http?: { options: NestApplicationOptions; configure(app: INestApplication): void };
}

/**
 * A real service in this process, in runService's order: its environment set
 * before the module is imported (the module validates it on load), every
 * module initialised, then its JetStream consumers. HTTP is not listened on
 * (tests use supertest on the app), and the consumers' settings come from
 * `transport` only, not from CONSUMER_* in `env`. Close it with `app.close()`.
 */
export async function startServiceApp(options: ServiceAppOptions): Promise<INestApplication> {
  const { user, pass } = options.nats.credentials[options.service];
  const natsEnv = { NATS_URL: options.nats.url, NATS_USER: user, NATS_PASSWORD: pass };
  Object.assign(process.env, { ...natsEnv, DATABASE_URL: options.databaseUrl, PORT: '0', ...options.env });
  const rootModule = await ROOT_MODULES[options.service]();
  const app = await createTestApp(rootModule, { ...options.http?.options, logger: options.logger ?? ['error'] });
  options.http?.configure(app);
  app.connectMicroservice({
    strategy: new JetStreamServer({
      ...serviceNatsOptions(options.service, natsEnv),
      consumers: consumersOf(options.service),
      ...options.transport,
    }),
  });
  await app.init();
  await app.startAllMicroservices();
  return app;
}
