import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DeadLetterFilterDto } from './dead-letter-filter.dto.js';

export class ListDeadLettersQuery extends DeadLetterFilterDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page (dead letters come newest first)',
    example: '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c',
  })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
