import type { OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_HEADER, mergeApiDocuments, type PublicApi } from '#http-api';
import { ANALYTICS_PUBLIC_API } from '../../../apps/analytics/src/public-api.js';
import { INVENTORY_PUBLIC_API } from '../../../apps/inventory/src/public-api.js';
import { ORDERS_PUBLIC_API } from '../../../apps/orders-api/src/openapi.js';
import { describePublicApi } from './describe-public-api.js';

/** The service clients call: it answers its own routes and forwards the others' (apps/orders-api/src/public-edge.ts). */
export const EDGE: PublicApi = ORDERS_PUBLIC_API;

/** The services whose /api/v1 routes the edge forwards. A new service with a public API is added here and to the edge's upstreamRoutes. */
export const BEHIND_THE_EDGE: readonly PublicApi[] = [INVENTORY_PUBLIC_API, ANALYTICS_PUBLIC_API];

/**
 * The one OpenAPI document of the public API, built without running a
 * service (Nest's preview mode): what orders-api serves at /docs and what the
 * console's typed client is generated from.
 */
export async function buildPublicApiDocument(): Promise<OpenAPIObject> {
  const [edge, ...upstreams] = await Promise.all([EDGE, ...BEHIND_THE_EDGE].map(async (api) => ({ service: api.service, document: await describePublicApi(api) })));
  return mergeApiDocuments(edge!, upstreams, {
    title: 'Order pipeline API',
    version: '1',
    description:
      `${EDGE.docs.description}\n\n` +
      'This one document describes the whole public API at one base URL. orders-api answers the order and dead-letter routes ' +
      'and forwards the others to the service that owns their data; each operation\'s `x-served-by` names it:\n\n' +
      BEHIND_THE_EDGE.map((api) => `- **${api.service}**: ${api.docs.description.split('\n\n')[0]}`).join('\n') +
      `\n\nThe same ${API_KEY_HEADER} keys and scopes hold everywhere.`,
  });
}
