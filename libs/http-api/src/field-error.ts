import { BadRequestException } from '@nestjs/common';

/** One broken rule of one input field. */
export interface FieldError {
  /** Where the value was: a dotted path into the body (`lines.0.quantity`), or a query, path or header name. */
  field: string;
  /** The rule it broke, stable for clients to branch on: `required`, `type`, `min`, `max`, `format`, `enum`, `unknown_field`, `text`, `single`. */
  rule: string;
  /** The same in words, naming the field. */
  reason: string;
}

/**
 * How much of a field's name an error repeats: a client may send a key of
 * any length, and the answer must not echo all of it back.
 */
export const MAX_FIELD_NAME_IN_ERRORS = 100;

/** A field's name as errors show it: cut at MAX_FIELD_NAME_IN_ERRORS, with an ellipsis. */
export function fieldName(path: string): string {
  return path.length > MAX_FIELD_NAME_IN_ERRORS ? `${path.slice(0, MAX_FIELD_NAME_IN_ERRORS)}…` : path;
}

/** The body of every 400 the API gives for bad input. */
export interface ValidationFailure {
  statusCode: 400;
  error: 'Bad Request';
  message: 'Validation failed';
  errors: FieldError[];
}

export function validationFailure(errors: FieldError[]): ValidationFailure {
  return { statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors };
}

/** The 400 a use case or a pipe throws when one or more fields are wrong. */
export function validationFailed(errors: FieldError[]): BadRequestException {
  return new BadRequestException(validationFailure(errors));
}
