import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DeadLetterStatus } from '#contracts';
import { DeadLetterFilterDto } from './dead-letter-filter.dto.js';

/** A bulk replay: the filter, and how many at most. */
export class ReplayDeadLettersDto extends DeadLetterFilterDto {
  @ApiPropertyOptional({
    enum: Object.values(DeadLetterStatus),
    default: DeadLetterStatus.PENDING,
    example: DeadLetterStatus.PENDING,
    description: 'Only PENDING dead letters unless another status is named; DISCARDED ones are always skipped',
  })
  declare status?: DeadLetterStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'Replays at most this many, oldest first' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ReplayDeadLettersResultDto {
  @ApiProperty({ example: 12, description: 'Published again to their original subjects' })
  replayed: number;

  @ApiProperty({ example: 1, description: 'Matched but not replayable (discarded meanwhile, or recorded without their message)' })
  skipped: number;
}
