import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyGuard } from './api-access.js';
import { ApiKeyRegistry } from './api-keys.js';
import type { HttpApiEnv } from './http-api-env.js';
import { WriteRateLimitGuard } from './write-rate-limit.guard.js';

export interface ApiAccessOptions {
  /** Paths anyone may call without a key: the operational ones (health, metrics), outside the API prefix. */
  publicPaths: readonly string[];
}

/**
 * Who may call the API: API keys with scopes on every route (ApiKeyGuard, a
 * global guard) and the per-client limit on writes (WriteRateLimitGuard),
 * both configured from the service's env (httpApiEnvShape).
 */
@Module({})
export class ApiAccessModule {
  static forRoot(options: ApiAccessOptions): DynamicModule {
    return {
      module: ApiAccessModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<HttpApiEnv, true>) => {
            const limit = config.get('RATE_LIMIT_WRITES', { infer: true });
            // The default name: its 429 carries a plain Retry-After header.
            return {
              throttlers: [{ name: 'default', limit, ttl: config.get('RATE_LIMIT_WINDOW_MS', { infer: true }) }],
              skipIf: () => limit === 0,
            };
          },
        }),
      ],
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
        WriteRateLimitGuard,
      ],
      exports: [ApiKeyRegistry, WriteRateLimitGuard, ThrottlerModule],
    };
  }
}
