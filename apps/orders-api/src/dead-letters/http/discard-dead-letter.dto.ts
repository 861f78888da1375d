import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class DiscardDeadLetterDto {
  @ApiProperty({ example: 'order was refunded by hand; the event is obsolete', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason: string;
}
