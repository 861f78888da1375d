import { ApiProperty } from '@nestjs/swagger';

export class ReplayDeadLettersResultDto {
  @ApiProperty({ example: 12, description: 'Published again to their original subjects' })
  replayed: number;

  @ApiProperty({ example: 1, description: 'Matched but not replayable (discarded meanwhile, or recorded without their message)' })
  skipped: number;
}
