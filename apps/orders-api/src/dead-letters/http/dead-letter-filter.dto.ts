import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { Consumers, DeadLetterReason, DeadLetterStatus, OrderCreated } from '#contracts';

const reasons = Object.values(DeadLetterReason);
const statuses = Object.values(DeadLetterStatus);

/** Which dead letters a list or a bulk replay is about; every field narrows. */
export class DeadLetterFilterDto {
  @ApiPropertyOptional({ example: Consumers.paymentsOnOrderCreated.durable, description: 'Durable name of the consumer that gave up' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  consumer?: string;

  @ApiPropertyOptional({ example: OrderCreated.subject, description: 'The original subject, exactly' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  subject?: string;

  @ApiPropertyOptional({ enum: reasons, example: DeadLetterReason.MAX_DELIVERIES })
  @IsOptional()
  @IsIn(reasons)
  reason?: DeadLetterReason;

  @ApiPropertyOptional({ enum: statuses, example: DeadLetterStatus.PENDING })
  @IsOptional()
  @IsIn(statuses)
  status?: DeadLetterStatus;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-22T00:00:00Z', description: 'Dead-lettered at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-23T00:00:00Z', description: 'Dead-lettered before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
