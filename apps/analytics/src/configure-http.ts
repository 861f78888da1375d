import type { INestApplication } from '@nestjs/common';
import { API_KEY_HEADER, configureApiHttp } from '#http-api';

/** The analytics API's HTTP surface: the same edge as orders-api's (libs/http-api configureApiHttp). */
export function configureAnalyticsHttp(app: INestApplication): void {
  configureApiHttp(app, {
    docs: {
      title: 'Order pipeline: analytics',
      description:
        'Business figures of the order pipeline, computed from the order and payment events: ' +
        'GET /api/v1/analytics, and the same figures live as Server-Sent Events at GET /api/v1/analytics/stream.\n\n' +
        `Every /api/v1 route needs an API key in the ${API_KEY_HEADER} header with the orders:read scope: ` +
        '401 without a valid key, 403 without the scope. Use Authorize to try the routes here.',
      tags: [['analytics', 'Business figures from the order and payment events'], 'health'],
    },
  });
}
