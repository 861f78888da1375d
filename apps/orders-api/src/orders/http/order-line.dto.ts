import { ApiProperty } from '@nestjs/swagger';

/** A line of an order as the API shows it (requests are validated by orderLineRequest). */
export class PricedOrderLineDto {
  @ApiProperty({ example: 'SKU-COFFEE-1KG' })
  sku: string;

  @ApiProperty({ example: 2 })
  quantity: number;

  @ApiProperty({ example: 1599, description: 'Price of one unit, in cents' })
  unitPriceCents: number;

  @ApiProperty({ example: 3198, description: 'quantity × unitPriceCents, computed by the server' })
  lineTotalCents: number;
}
