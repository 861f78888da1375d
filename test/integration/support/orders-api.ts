import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { generatePipelineApiKeys, type NatsServer, type PipelineApiKeys } from '#local-infra';
import { createTestApp } from './nest-app.js';

export interface TestOrdersApi {
  app: INestApplication;
  /** The keys the app was started with: operator (every scope), storefront, reader. */
  keys: PipelineApiKeys;
  /** supertest on the app, every request sent with `key` (default: the operator's). */
  as(key?: string): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

/**
 * orders-api's whole module and HTTP surface (security, body parser, access,
 * OpenAPI) in this process, on `nats` as its own NATS user and on the
 * database at `databaseUrl`, with fresh API keys and `env` besides. The
 * variables are removed again by close().
 */
export async function startOrdersApi(nats: NatsServer, databaseUrl: string, env: Record<string, string> = {}): Promise<TestOrdersApi> {
  const { keys, env: apiKeys } = generatePipelineApiKeys();
  const { user, pass } = nats.credentials['orders-api'];
  const applied = {
    PORT: '0',
    METRICS_LOG_INTERVAL_MS: '0',
    NATS_URL: nats.url,
    NATS_USER: user,
    NATS_PASSWORD: pass,
    DATABASE_URL: databaseUrl,
    API_KEYS: apiKeys,
    ...env,
  };
  Object.assign(process.env, applied);
  // One after the other: Jest's ESM loader fails on two dynamic imports linking the same modules at once.
  const { AppModule } = await import('../../../apps/orders-api/src/app.module.js');
  const { configureOrdersHttp, ORDERS_HTTP_APP_OPTIONS } = await import('../../../apps/orders-api/src/configure-http.js');
  const app = await createTestApp(AppModule, { ...ORDERS_HTTP_APP_OPTIONS, logger: ['error'] });
  configureOrdersHttp(app);
  await app.init();
  return {
    app,
    keys,
    as: (key = keys.operator) => request.agent(app.getHttpServer()).set('X-API-Key', key),
    close: async () => {
      await app.close();
      for (const name of Object.keys(applied)) delete process.env[name];
    },
  };
}
