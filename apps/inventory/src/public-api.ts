import { API_KEY_HEADER, type PublicApi } from '#http-api';
import { CatalogModule } from './catalog/catalog.module.js';

/** The inventory's share of the public API: the catalog. orders-api forwards /api/v1/products here and publishes it in the one document. */
export const INVENTORY_PUBLIC_API: PublicApi = {
  service: 'inventory',
  modules: [CatalogModule],
  docs: {
    title: 'Order pipeline: inventory',
    description:
      'The catalog and its stock. A new order reserves every line or is rejected (REJECTED, with the SKUs that were short); ' +
      'a failed payment or a cancellation releases the reservation, a dispatched shipment commits it.\n\n' +
      `Every /api/v1 route needs an API key in the ${API_KEY_HEADER} header: orders:read to read, operator to restock; ` +
      '401 without a valid key, 403 without the scope. Use Authorize to try the routes here.',
    tags: [['products', 'The catalog, its availability and restocks'], 'health'],
  },
};
