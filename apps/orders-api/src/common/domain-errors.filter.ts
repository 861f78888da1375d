import { ArgumentsHost, Catch, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { validationFailed } from '#http-api';
import { OrderTotalTooLargeError } from '../orders/domain/order-pricing.js';
import { IllegalTransitionError } from '../orders/cancel-order.service.js';
import { IdempotencyKeyReusedError } from '../orders/create-order.service.js';
import { OrderNotFoundError } from '../orders/order-transitions.service.js';

/** The use cases' errors that toHttp maps; every other error is not the client's to see. */
export const DOMAIN_ERRORS = [OrderNotFoundError, IllegalTransitionError, IdempotencyKeyReusedError, OrderTotalTooLargeError] as const;

/**
 * Turns the use cases' errors into HTTP answers, so services stay free of
 * HTTP: unknown order 404, illegal state change or reused key 409, a total
 * too large to store 400. Everything else goes to Nest's default handling.
 */
@Catch(...DOMAIN_ERRORS)
export class DomainErrorsFilter extends BaseExceptionFilter {
  override catch(error: Error, host: ArgumentsHost): void {
    super.catch(toHttp(error), host);
  }
}

/** The HTTP answer of a use case's error; the live-updates gateway answers a command with the same status and body. */
export function toHttp(error: Error): HttpException {
  if (error instanceof OrderNotFoundError) return new NotFoundException(error.message);
  if (error instanceof OrderTotalTooLargeError) {
    return validationFailed([{ field: 'lines', rule: 'max', reason: error.message }]);
  }
  return new ConflictException(error.message);
}
