import { z } from 'zod';
import { fields } from '#http-api';

/** What the product routes accept: the validation and the OpenAPI document alike. */

export const productSku = fields.sku({ description: 'The product' });

export const listProductsQuery = z.strictObject({
  limit: fields.queryInteger({ min: 1, max: 500, default: 100 }).optional(),
  after: fields.sku({ description: 'The `nextCursor` of the previous page (products come in SKU order)' }).optional(),
});

export const restockBody = z.strictObject({
  quantity: fields.integer({ min: 1, max: 1_000_000, example: 50, description: 'Units that arrived: added to on hand' }),
  version: fields.integer({
    min: 1,
    max: 2_147_483_647,
    example: 7,
    description: 'The product version this restock was decided on (from GET): a stale one is refused with 409',
  }),
});
export type RestockRequest = z.output<typeof restockBody>;
