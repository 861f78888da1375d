import { API_KEY_HEADER, type ApiDocsOptions, type PublicApi } from '#http-api';
import { DeadLettersApiModule } from './dead-letters/dead-letters-api.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { OrdersModule } from './orders/orders.module.js';

/** orders-api's OpenAPI document at /docs-json and Swagger UI at /docs (libs/http-api setUpApiDocs). */
export const ORDERS_API_DOCS: ApiDocsOptions = {
  title: 'Order pipeline: orders-api',
  description:
    'Places and tracks orders. Payment and shipment happen asynchronously in other services; ' +
    'follow an order with GET /api/v1/orders/{id} until it reaches SHIPPED, FAILED or CANCELLED.\n\n' +
    `Every /api/v1 route needs an API key in the ${API_KEY_HEADER} header, with the scopes the route names ` +
    '(orders:read, orders:place, orders:cancel, operator): 401 without a valid key, 403 without the scope. ' +
    'Use Authorize to try the routes here. Bodies are JSON (415 otherwise), at most MAX_BODY_BYTES (413) and ' +
    'nested at most 32 levels deep; text fields refuse NUL characters and unpaired surrogates; unknown fields are refused.',
  tags: [
    'orders',
    ['dead-letters', 'Messages a consumer gave up on: inspect, replay, discard'],
    ['operations', 'How the pipeline is doing: consumers, stage rates, outbox backlogs (operators)'],
    'health',
  ],
};

/** orders-api's share of the public API; it is also the edge that serves the whole API (configure-http.ts). */
export const ORDERS_PUBLIC_API: PublicApi = {
  service: 'orders-api',
  docs: ORDERS_API_DOCS,
  modules: [OrdersModule, DeadLettersApiModule, OperationsModule],
};
