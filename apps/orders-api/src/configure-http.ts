import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WsAdapter } from '@nestjs/platform-ws';
import { API_HTTP_APP_OPTIONS, configureApiHttp } from '#http-api';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter.js';
import { DomainErrorsFilter } from './common/domain-errors.filter.js';
import { ORDERS_API_DOCS } from './openapi.js';
import type { OrdersEnv } from './orders-env.js';
import { publicApiDocument, serveConsole, upstreamRoutes } from './public-edge.js';

/** How the app must be created: applyHttpSecurity brings its own guarded JSON parser. */
export const ORDERS_HTTP_APP_OPTIONS: NestApplicationOptions = API_HTTP_APP_OPTIONS;

/**
 * The API's HTTP surface (libs/http-api configureApiHttp: security headers,
 * CORS, the body parser, prefix, OpenAPI) with orders-api's error mapping.
 * Validation is per parameter (ValidBody and the like), access by
 * ApiAccessModule's guard. main.ts and the tests that serve the API use it alike.
 */
export function configureOrdersHttp(app: INestApplication): void {
  const config = app.get<ConfigService<OrdersEnv, true>>(ConfigService);
  // Nest tries the last registered filter first: malformed URLs, domain errors, then the database check.
  configureApiHttp(app, {
    filters: (adapter) => [new DatabaseUnavailableFilter(adapter), new DomainErrorsFilter(adapter)],
    docs: ORDERS_API_DOCS,
    // The one public edge (public-edge.ts): the catalog and the figures are answered by their services.
    upstreams: upstreamRoutes({ INVENTORY_URL: config.get('INVENTORY_URL'), ANALYTICS_URL: config.get('ANALYTICS_URL') }),
    servedDocument: (own) => publicApiDocument(own),
  });
  serveConsole(app, { jaegerUrl: config.get('JAEGER_UI_URL') ?? null });
  // The live-updates gateway (/ws) speaks plain WebSocket, not socket.io: any client library can use it.
  app.useWebSocketAdapter(new WsAdapter(app));
}
