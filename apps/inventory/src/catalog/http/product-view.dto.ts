import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProductViewDto {
  @ApiProperty({ example: 'COFFEE-BEANS-1KG' })
  sku: string;

  @ApiProperty({ example: 'Espresso roast beans, 1 kg' })
  name: string;

  @ApiProperty({ example: 2490, description: 'Price of one unit, in cents' })
  priceCents: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 400, description: 'Units in the warehouse, reserved ones included' })
  onHand: number;

  @ApiProperty({ example: 12, description: 'Units held for orders not yet dispatched' })
  reserved: number;

  @ApiProperty({ example: 388, description: 'onHand - reserved: what a new order can still reserve' })
  available: number;

  @ApiProperty({ example: 40, description: 'At or below this, available stock is low (inventory.low-stock)' })
  lowStockThreshold: number;

  @ApiProperty({ example: false, description: 'available <= lowStockThreshold' })
  lowStock: boolean;

  @ApiProperty({ example: 7, description: 'Increments on every change: name it to restock' })
  version: number;

  @ApiProperty({ example: '2026-12-02T10:15:30.123Z' })
  updatedAt: string;
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductViewDto] })
  items: ProductViewDto[];

  @ApiPropertyOptional({ type: String, nullable: true, example: 'FILTER-PAPER-100', description: 'Pass as `after` for the next page; null on the last' })
  nextCursor: string | null;
}
