import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MalformedUrlFilter, applyHttpSecurity, type HttpApiEnv } from '#http-api';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter.js';
import { DomainErrorsFilter } from './common/domain-errors.filter.js';
import { setUpOpenApi } from './openapi.js';
import { OPERATIONAL_ROUTES } from './operational-routes.js';

/** How the app must be created: applyHttpSecurity brings its own guarded JSON parser. */
export const ORDERS_HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/**
 * The API's HTTP surface: security headers, CORS, the body parser, prefix,
 * error mapping, OpenAPI. Validation is per parameter (ValidBody and the
 * like), access by ApiAccessModule's guard. main.ts and the tests that serve
 * the API use it alike.
 */
export function configureOrdersHttp(app: INestApplication): void {
  const config = app.get<ConfigService<HttpApiEnv, true>>(ConfigService);
  applyHttpSecurity(app, {
    corsOrigins: config.get('CORS_ORIGINS', { infer: true }),
    maxBodyBytes: config.get('MAX_BODY_BYTES', { infer: true }),
  });
  app.setGlobalPrefix('api/v1', { exclude: [...OPERATIONAL_ROUTES] });
  // Nest tries the last registered filter first: malformed URLs, domain errors, then the database check.
  const adapter = app.getHttpAdapter();
  app.useGlobalFilters(new DatabaseUnavailableFilter(adapter), new DomainErrorsFilter(adapter), new MalformedUrlFilter(adapter));
  setUpOpenApi(app);
}
