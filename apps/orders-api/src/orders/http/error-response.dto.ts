import { ApiProperty } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ example: 'order 01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c cannot be cancelled in state SHIPPED' })
  message: string;

  @ApiProperty({ example: 'Conflict' })
  error: string;
}

export class FieldErrorDto {
  @ApiProperty({ example: 'lines.0.quantity' })
  field: string;

  @ApiProperty({ example: 'quantity must not be less than 1' })
  reason: string;
}

export class ValidationErrorResponseDto extends ErrorResponseDto {
  @ApiProperty({ example: 400 })
  declare statusCode: number;

  @ApiProperty({ example: 'Validation failed' })
  declare message: string;

  @ApiProperty({ example: 'Bad Request' })
  declare error: string;

  @ApiProperty({ type: [FieldErrorDto], description: 'One entry per bad field' })
  errors: FieldErrorDto[];
}
