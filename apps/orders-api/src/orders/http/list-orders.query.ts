import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { OrderState } from '#contracts';

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: Object.values(OrderState), example: OrderState.SHIPPED })
  @IsOptional()
  @IsIn(Object.values(OrderState))
  state?: OrderState;

  @ApiPropertyOptional({ example: 'cust-42' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page (orders come newest first)',
    example: '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c',
  })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
