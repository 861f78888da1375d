import { Injectable } from '@nestjs/common';
import { SqlDatabase } from '#database';
import type { ProductPageDto, ProductViewDto } from './http/product-view.dto.js';

const VIEW = `sku, name, price_cents AS "priceCents", currency::text AS currency, on_hand AS "onHand", reserved,
  on_hand - reserved AS available, low_stock_threshold AS "lowStockThreshold", on_hand - reserved <= low_stock_threshold AS "lowStock",
  version, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

/** The catalog as the API shows it: each product with its availability (a cold path: one plain query per request). */
@Injectable()
export class ProductCatalog {
  constructor(private readonly sql: SqlDatabase) {}

  async list(limit: number, after?: string): Promise<ProductPageDto> {
    const rows = await this.sql.$queryRawUnsafe<ProductViewDto[]>(
      `SELECT ${VIEW} FROM "inventory"."products" WHERE ($1::text IS NULL OR sku > $1) ORDER BY sku LIMIT $2`,
      after ?? null,
      limit + 1,
    );
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].sku : null };
  }

  async get(sku: string): Promise<ProductViewDto | null> {
    const [row] = await this.sql.$queryRawUnsafe<ProductViewDto[]>(`SELECT ${VIEW} FROM "inventory"."products" WHERE sku = $1`, sku);
    return row ?? null;
  }
}
