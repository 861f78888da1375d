import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '#database';

/** Seconds a client should wait: about what a PostgreSQL restart or fail-over takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 Service Unavailable with Retry-After, never 500, when a request
 * failed because PostgreSQL cannot be reached (down, restarting, connection
 * cut). The request had no effect that counts: its transaction did not
 * commit, so retrying it (a POST with the same Idempotency-Key) is safe.
 * Every other error goes on to Nest's default handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('DatabaseUnavailable');

  override catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !isDatabaseUnavailable(error)) {
      super.catch(error, host);
      return;
    }
    this.logger.warn(`DATABASE_UNAVAILABLE answering 503: ${error instanceof Error ? error.message.split('\n').at(-1) : String(error)}`);
    const response = host.switchToHttp().getResponse<Response>();
    response
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
      .json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: `The database is unavailable; retry in ${DATABASE_RETRY_AFTER_SECONDS} s (a POST with the same Idempotency-Key).`,
      });
  }
}
