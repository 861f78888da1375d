import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

export class OrderLineDto {
  @ApiProperty({ example: 'SKU-COFFEE-1KG', description: 'Stock keeping unit: letters, digits, - and _' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'sku may contain only letters, digits, - and _' })
  sku: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: 10_000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;

  @ApiProperty({ example: 1599, minimum: 0, maximum: 10_000_000, description: 'Price of one unit, in cents' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  unitPriceCents: number;
}

export class PricedOrderLineDto extends OrderLineDto {
  @ApiProperty({ example: 3198, description: 'quantity × unitPriceCents, computed by the server' })
  lineTotalCents: number;
}
