import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { consumersOf } from '#contracts';
import { JetStreamServer } from '#jetstream';

export interface PaymentsServiceOptions {
  natsUrl: string;
  databaseUrl: string;
  /** Settings of this test (gateway rates and latency, outbox, metrics); PORT 0 and the URLs are set here. */
  env?: Record<string, string>;
  /** Nest's log levels; false for none. Default: errors only. */
  logger?: LogLevel[] | false;
}

/**
 * The real payments service in this process, started as runService starts
 * it: its environment set before the module is imported (the module
 * validates it on load), every module initialised, then its JetStream
 * consumers, then HTTP. Close it with `app.close()`.
 */
export async function startPaymentsService(options: PaymentsServiceOptions): Promise<INestApplication> {
  Object.assign(process.env, { NATS_URL: options.natsUrl, DATABASE_URL: options.databaseUrl, PORT: '0', ...options.env });
  const { PaymentsModule } = await import('../../../apps/payments/src/payments.module.js');
  const app = await NestFactory.create(PaymentsModule, { logger: options.logger ?? ['error'] });
  app.connectMicroservice({
    strategy: new JetStreamServer({ name: 'payments', servers: options.natsUrl, consumers: consumersOf('payments') }),
  });
  await app.init();
  await app.startAllMicroservices();
  return app;
}
