import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at /docs-json and Swagger UI at /docs. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Order pipeline: orders-api')
    .setDescription(
      'Places and tracks orders. Payment and shipment happen asynchronously in other services; ' +
        'follow an order with GET /api/v1/orders/{id} until it reaches SHIPPED, FAILED or CANCELLED.',
    )
    .setVersion('1')
    .addTag('orders')
    .addTag('dead-letters', 'Messages a consumer gave up on: inspect, replay, discard')
    .addTag('stats', 'Business figures computed from the orders')
    .addTag('health')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
