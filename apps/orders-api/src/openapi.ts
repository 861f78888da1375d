import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER, API_KEY_SECURITY } from '#http-api';

/** The OpenAPI document at /docs-json and Swagger UI at /docs. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Order pipeline: orders-api')
    .setDescription(
      'Places and tracks orders. Payment and shipment happen asynchronously in other services; ' +
        'follow an order with GET /api/v1/orders/{id} until it reaches SHIPPED, FAILED or CANCELLED.\n\n' +
        `Every /api/v1 route needs an API key in the ${API_KEY_HEADER} header, with the scopes the route names ` +
        '(orders:read, orders:place, orders:cancel, operator): 401 without a valid key, 403 without the scope. ' +
        'Use Authorize to try the routes here. Bodies are JSON (415 otherwise), at most MAX_BODY_BYTES (413) and ' +
        'nested at most 32 levels deep; text fields refuse NUL characters and unpaired surrogates; unknown fields are refused.',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'An API key from API_KEYS' }, API_KEY_SECURITY)
    .setVersion('1')
    .addTag('orders')
    .addTag('dead-letters', 'Messages a consumer gave up on: inspect, replay, discard')
    .addTag('stats', 'Business figures computed from the orders')
    .addTag('health')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Prometheus' controller comes from a library without OpenAPI decorators; its route is described here.
  document.paths['/metrics'] = {
    get: {
      tags: ['health'],
      summary: 'Prometheus metrics (text exposition format); no API key: keep it inside the cluster',
      responses: { '200': { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  };
  // persistAuthorization: a key entered in Authorize survives a reload of the page.
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
