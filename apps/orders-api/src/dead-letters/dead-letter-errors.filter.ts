import { ArgumentsHost, Catch, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { VersionConflictError } from '#database';
import { DeadLetterConflictError, DeadLetterNotFoundError } from '#dead-letters';

/**
 * The dead-letter office's errors as HTTP answers: unknown id 404; a status
 * change that is not allowed (replaying or discarding a discarded one), or a
 * race lost on every retry, 409.
 */
@Catch(DeadLetterNotFoundError, DeadLetterConflictError, VersionConflictError)
export class DeadLetterErrorsFilter extends BaseExceptionFilter {
  override catch(error: Error, host: ArgumentsHost): void {
    super.catch(toHttp(error), host);
  }
}

function toHttp(error: Error): HttpException {
  if (error instanceof DeadLetterNotFoundError) return new NotFoundException(error.message);
  return new ConflictException(error.message);
}
