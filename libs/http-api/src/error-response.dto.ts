import { ApiProperty } from '@nestjs/swagger';
import type { FieldError } from './field-error.js';

/** The body of every error answer (4xx and 5xx). */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ example: 'order 01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c cannot be cancelled in state SHIPPED' })
  message: string;

  @ApiProperty({ example: 'Conflict' })
  error: string;
}

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'lines.0.quantity', description: 'A dotted path into the body, or the query, path or header name' })
  field: string;

  @ApiProperty({
    example: 'type',
    enum: ['required', 'type', 'min', 'max', 'format', 'enum', 'unknown_field', 'text', 'single', 'depth'],
    description:
      'The rule broken: required, type (checked before any range), min / max (length, count or value), format (pattern, UUID, ' +
      'date-time), enum, unknown_field (prototype keys included), text (a NUL character or an unpaired surrogate), single (a ' +
      'query parameter given twice), depth',
  })
  rule: string;

  @ApiProperty({ example: 'lines.0.quantity must be an integer' })
  reason: string;
}

export class ValidationErrorResponseDto extends ErrorResponseDto {
  @ApiProperty({ example: 400 })
  declare statusCode: number;

  @ApiProperty({
    example: 'Validation failed',
    description: '"Validation failed" with `errors`; or, for a body refused before parsing, a fixed reason without `errors` (not JSON, nested too deep)',
  })
  declare message: string;

  @ApiProperty({ example: 'Bad Request' })
  declare error: string;

  @ApiProperty({ type: [FieldErrorDto], required: false, description: 'One entry per bad field' })
  errors: FieldErrorDto[];
}
