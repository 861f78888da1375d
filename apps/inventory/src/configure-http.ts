import type { INestApplication } from '@nestjs/common';
import { API_KEY_HEADER, configureApiHttp } from '#http-api';
import { CatalogErrorsFilter } from './catalog/catalog-errors.filter.js';

/** The inventory API's HTTP surface: the same edge as orders-api's (libs/http-api configureApiHttp), with the catalog's error mapping. */
export function configureInventoryHttp(app: INestApplication): void {
  configureApiHttp(app, {
    filters: (adapter) => [new CatalogErrorsFilter(adapter)],
    docs: {
      title: 'Order pipeline: inventory',
      description:
        'The catalog and its stock. A new order reserves every line or is rejected (REJECTED, with the SKUs that were short); ' +
        'a failed payment or a cancellation releases the reservation, a dispatched shipment commits it.\n\n' +
        `Every /api/v1 route needs an API key in the ${API_KEY_HEADER} header: orders:read to read, operator to restock; ` +
        '401 without a valid key, 403 without the scope. Use Authorize to try the routes here.',
      tags: [['products', 'The catalog, its availability and restocks'], 'health'],
    },
  });
}
