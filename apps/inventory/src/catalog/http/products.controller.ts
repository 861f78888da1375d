import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ErrorResponseDto, RateLimitedWrite, RequireScopes, Scope, ValidBody, ValidParam, ValidQuery, ValidationErrorResponseDto } from '#http-api';
import { ProductCatalog } from '../product-catalog.js';
import { ProductNotFoundError, RestockService } from '../restock.service.js';
import { listProductsQuery, productSku, restockBody, type RestockRequest } from './product-requests.js';
import { ProductPageDto, ProductViewDto } from './product-view.dto.js';

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly restocks: RestockService,
  ) {}

  @Get()
  @RequireScopes(Scope.ORDERS_READ)
  @ApiOperation({ summary: 'The catalog with availability, in SKU order' })
  @ApiOkResponse({ type: ProductPageDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  list(@ValidQuery(listProductsQuery) query: z.output<typeof listProductsQuery>): Promise<ProductPageDto> {
    return this.catalog.list(query.limit ?? 100, query.after);
  }

  @Get(':sku')
  @RequireScopes(Scope.ORDERS_READ)
  @ApiOperation({ summary: 'One product with its stock: on hand, reserved, available' })
  @ApiOkResponse({ type: ProductViewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  async get(@ValidParam('sku', productSku) sku: string): Promise<ProductViewDto> {
    const product = await this.catalog.get(sku);
    if (!product) throw new ProductNotFoundError(sku);
    return product;
  }

  @Post(':sku/restock')
  @HttpCode(HttpStatus.OK)
  @RequireScopes(Scope.OPERATOR)
  @RateLimitedWrite()
  @ApiOperation({
    summary: 'Add arrived units to a product (operator)',
    description:
      'Names the version the restock was decided on (GET the product first): 409 when the product changed since. ' +
      'The new level goes out as inventory.updated.',
  })
  @ApiOkResponse({ type: ProductViewDto, description: 'The product after the restock' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A stale version: the product changed since it was read' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  async restock(@ValidParam('sku', productSku) sku: string, @ValidBody(restockBody) body: RestockRequest): Promise<ProductViewDto> {
    await this.restocks.restock(sku, body.quantity, body.version);
    return (await this.catalog.get(sku))!;
  }
}
