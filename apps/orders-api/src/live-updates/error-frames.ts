import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '#database';
import type { FieldError } from '#http-api';
import { DATABASE_RETRY_AFTER_SECONDS } from '../common/database-unavailable.filter.js';
import { DOMAIN_ERRORS, toHttp } from '../common/domain-errors.filter.js';
import type { Action, ErrorMessage } from './protocol.js';

const logger = new Logger('LiveUpdates');

/** A refusal that says when to try again (rate limit 429, admission 503): over HTTP a Retry-After header, here `retryAfterMs`. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly http: HttpException,
    readonly retryAfterMs: number,
  ) {
    super(http.message);
  }
}

/** The body of an HttpException as Nest answers it over HTTP. */
interface HttpErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  errors?: FieldError[];
  /** Why admission control refused (admission-policy.ts). */
  reason?: string;
}

/**
 * The error frame of a failed command: the same status, reason and field
 * list as the REST answer to the same request, since it comes from the same
 * exceptions (the use cases' errors through DomainErrorsFilter's toHttp,
 * validation and scope checks as HttpExceptions). PostgreSQL out of reach is
 * 503, as over HTTP; anything else is logged and answered 500 without detail.
 */
export function errorFrame(id: string | undefined, action: Action | undefined, error: unknown): ErrorMessage {
  const context = { type: 'error' as const, ...(id !== undefined ? { id } : {}), ...(action ? { action } : {}) };
  const retry = error instanceof RetryLaterError ? { retryAfterMs: error.retryAfterMs } : {};
  const http = error instanceof RetryLaterError ? error.http : DOMAIN_ERRORS.some((type) => error instanceof type) ? toHttp(error as Error) : error;
  if (http instanceof HttpException) {
    const status = http.getStatus();
    const response = http.getResponse();
    const body: HttpErrorBody = typeof response === 'string' ? { message: response } : (response as HttpErrorBody);
    return {
      ...context,
      status,
      error: body.error ?? http.name,
      message: Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? http.message),
      ...(body.errors ? { fields: body.errors } : {}),
      ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
      ...retry,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      ...context,
      status: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: `The database is unavailable; retry in ${DATABASE_RETRY_AFTER_SECONDS} s (a place-order with the same idempotencyKey).`,
      retryAfterMs: DATABASE_RETRY_AFTER_SECONDS * 1_000,
    };
  }
  logger.error(`live-updates command ${action ?? '?'} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { ...context, status: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'Internal server error' };
}
