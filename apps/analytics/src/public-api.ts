import { API_KEY_HEADER, type PublicApi } from '#http-api';
import { AnalyticsFiguresModule } from './figures/analytics-figures.module.js';

/** The analytics' share of the public API: the figures and their live feed. orders-api forwards /api/v1/analytics here and publishes it in the one document. */
export const ANALYTICS_PUBLIC_API: PublicApi = {
  service: 'analytics',
  modules: [AnalyticsFiguresModule],
  docs: {
    title: 'Order pipeline: analytics',
    description:
      'Business figures of the order pipeline, computed from the order and payment events: ' +
      'GET /api/v1/analytics, and the same figures live as Server-Sent Events at GET /api/v1/analytics/stream.\n\n' +
      `Every /api/v1 route needs an API key in the ${API_KEY_HEADER} header with the orders:read scope: ` +
      '401 without a valid key, 403 without the scope. Use Authorize to try the routes here.',
    tags: [['analytics', 'Business figures from the order and payment events'], 'health'],
  },
};
