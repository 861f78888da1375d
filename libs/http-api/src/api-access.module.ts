import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiKeyGuard } from './api-access.js';
import { ApiKeyRegistry } from './api-keys.js';
import type { HttpApiEnv } from './http-api-env.js';
import { WriteRateLimit } from './write-rate-limit.guard.js';

export interface ApiAccessOptions {
  /** Paths anyone may call without a key: the operational ones (health, metrics), outside the API prefix. */
  publicPaths: readonly string[];
}

/**
 * Who may call the API: API keys with scopes on every route (ApiKeyGuard, a
 * global guard) and the per-client limit on writes (WriteRateLimitGuard on WriteRateLimit, one count per app),
 * both configured from the service's env (httpApiEnvShape).
 */
@Module({})
export class ApiAccessModule {
  static forRoot(options: ApiAccessOptions): DynamicModule {
    return {
      module: ApiAccessModule,
      // Global: the write guard of every controller's module reads the one count.
      global: true,
      providers: [
        {
          provide: ApiKeyRegistry,
          inject: [ConfigService],
          useFactory: (config: ConfigService<HttpApiEnv, true>) => new ApiKeyRegistry(config.get('API_KEYS', { infer: true })),
        },
        {
          provide: APP_GUARD,
          inject: [Reflector, ApiKeyRegistry],
          useFactory: (reflector: Reflector, keys: ApiKeyRegistry) => new ApiKeyGuard(reflector, keys, new Set(options.publicPaths)),
        },
        {
          provide: WriteRateLimit,
          inject: [ConfigService],
          useFactory: (config: ConfigService<HttpApiEnv, true>) =>
            new WriteRateLimit({
              writes: config.get('RATE_LIMIT_WRITES', { infer: true }),
              windowMs: config.get('RATE_LIMIT_WINDOW_MS', { infer: true }),
            }),
        },
      ],
      exports: [ApiKeyRegistry, WriteRateLimit],
    };
  }
}
