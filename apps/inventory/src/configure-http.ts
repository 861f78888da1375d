import type { INestApplication } from '@nestjs/common';
import { configureApiHttp } from '#http-api';
import { CatalogErrorsFilter } from './catalog/catalog-errors.filter.js';
import { INVENTORY_PUBLIC_API } from './public-api.js';

/** The inventory API's HTTP surface: the same edge as orders-api's (libs/http-api configureApiHttp), with the catalog's error mapping. */
export function configureInventoryHttp(app: INestApplication): void {
  configureApiHttp(app, { filters: (adapter) => [new CatalogErrorsFilter(adapter)], docs: INVENTORY_PUBLIC_API.docs });
}
