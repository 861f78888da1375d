import { Module } from '@nestjs/common';
import { ProductsController } from './http/products.controller.js';
import { ProductCatalog } from './product-catalog.js';
import { RestockService } from './restock.service.js';

/** GET /api/v1/products, GET /api/v1/products/{sku} and POST /api/v1/products/{sku}/restock. */
@Module({
  controllers: [ProductsController],
  providers: [ProductCatalog, RestockService],
})
export class CatalogModule {}
