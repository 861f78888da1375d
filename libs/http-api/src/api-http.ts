import type { ExceptionFilter, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_SECURITY } from './api-access.js';
import { API_KEY_HEADER } from './api-keys.js';
import type { HttpApiEnv } from './http-api-env.js';
import { applyHttpSecurity } from './http-security.js';
import { MalformedUrlFilter } from './malformed-url.filter.js';
import { upstreamProxies, type UpstreamRoute } from './upstream-proxy.js';

/**
 * The routes outside /api/v1 that probes and scrapers call: no API key, no
 * prefix. Everything else needs a key with the route's scopes.
 */
export const OPERATIONAL_ROUTES = ['health', 'health/live', 'health/ready', 'metrics'] as const;

export const OPERATIONAL_PATHS = OPERATIONAL_ROUTES.map((route) => `/${route}`);

/** The prefix of every public route. */
export const API_PREFIX = 'api/v1';

/** How an app with a public API must be created: applyHttpSecurity brings its own guarded JSON parser. */
export const API_HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

export interface ApiHttpOptions {
  /** The service's own exception filters; Nest tries the last one first, and the malformed-URL filter before them all. */
  readonly filters?: (adapter: ReturnType<INestApplication['getHttpAdapter']>) => ExceptionFilter[];
  readonly docs: ApiDocsOptions;
  /** Prefixes of the public API that other services answer, forwarded to them (see upstreamProxies). */
  readonly upstreams?: readonly UpstreamRoute[];
  /** The document /docs serves, given the service's own; its own by default. The edge serves the whole public API's. */
  readonly servedDocument?: (own: OpenAPIObject) => OpenAPIObject;
}

/**
 * A public REST API's HTTP surface, the same in every service that serves
 * one: security headers, CORS, the guarded body parser (from httpApiEnvShape's
 * settings), the /api/v1 prefix outside the operational routes, error
 * filters, the OpenAPI document. Access is ApiAccessModule's guard.
 */
export function configureApiHttp(app: INestApplication, options: ApiHttpOptions): void {
  const config = app.get<ConfigService<HttpApiEnv, true>>(ConfigService);
  applyHttpSecurity(app, {
    corsOrigins: config.get('CORS_ORIGINS', { infer: true }),
    maxBodyBytes: config.get('MAX_BODY_BYTES', { infer: true }),
    beforeBodyParser: upstreamProxies(options.upstreams ?? []),
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: [...OPERATIONAL_ROUTES] });
  const adapter = app.getHttpAdapter();
  app.useGlobalFilters(...(options.filters?.(adapter) ?? []), new MalformedUrlFilter(adapter));
  const own = createApiDocument(app, options.docs);
  serveApiDocs(app, options.servedDocument?.(own) ?? own);
}

export interface ApiDocsOptions {
  readonly title: string;
  readonly description: string;
  /** Tag names, or [name, description]. */
  readonly tags: ReadonlyArray<string | readonly [string, string]>;
}

/** The app's OpenAPI document, with the API-key security scheme and the /metrics route; the app's global prefix must be set. */
export function createApiDocument(app: INestApplication, options: ApiDocsOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'An API key from API_KEYS' }, API_KEY_SECURITY)
    .setVersion('1');
  for (const tag of options.tags) {
    if (typeof tag === 'string') builder.addTag(tag);
    else builder.addTag(tag[0], tag[1]);
  }
  const document = SwaggerModule.createDocument(app, builder.build());
  // Prometheus' controller comes from a library without OpenAPI decorators; its route is described here.
  document.paths['/metrics'] = {
    get: {
      tags: ['health'],
      summary: 'Prometheus metrics (text exposition format); no API key: keep it inside the cluster',
      responses: { '200': { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  };
  return document;
}

/** The document at /docs-json and Swagger UI at /docs. */
export function serveApiDocs(app: INestApplication, document: OpenAPIObject): void {
  // persistAuthorization: a key entered in Authorize survives a reload of the page.
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
