import { describe, it, expect } from '@jest/globals';
import { ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';
import { validationFailed } from '#http-api';
import { OrderTotalTooLargeError } from '../orders/domain/order-pricing.js';
import { IllegalTransitionError } from '../orders/cancel-order.service.js';
import { IdempotencyKeyReusedError } from '../orders/create-order.service.js';
import { OrderNotFoundError } from '../orders/order-transitions.service.js';
import { RetryLaterError, errorFrame } from './error-frames.js';

describe('errorFrame', () => {
  it('answers the use cases’ errors with REST’s status, reason and message', () => {
    expect(errorFrame('c1', 'cancel-order', new OrderNotFoundError('o-1'))).toEqual({
      type: 'error', id: 'c1', action: 'cancel-order', status: 404, error: 'Not Found', message: 'order o-1 not found',
    });
    expect(errorFrame('c2', 'cancel-order', new IllegalTransitionError('order o-1 cannot be cancelled in state SHIPPED'))).toMatchObject({
      status: 409, error: 'Conflict', message: 'order o-1 cannot be cancelled in state SHIPPED',
    });
    expect(errorFrame('c3', 'place-order', new IdempotencyKeyReusedError('reused'))).toMatchObject({ status: 409, error: 'Conflict' });
    expect(errorFrame('c4', 'place-order', new OrderTotalTooLargeError('too much'))).toMatchObject({
      status: 400, message: 'Validation failed', fields: [{ field: 'lines', rule: 'max', reason: 'too much' }],
    });
  });

  it('answers HTTP exceptions (validation, scopes) with their status and body, field list as `fields`', () => {
    const fields = [{ field: 'lines.0.quantity', rule: 'min', reason: 'lines.0.quantity must be at least 1' }];
    expect(errorFrame('c5', 'place-order', validationFailed(fields))).toEqual({
      type: 'error', id: 'c5', action: 'place-order', status: 400, error: 'Bad Request', message: 'Validation failed', fields,
    });
    expect(errorFrame(undefined, undefined, new ForbiddenException('no scope'))).toEqual({ type: 'error', status: 403, error: 'Forbidden', message: 'no scope' });
  });

  it('says when to retry a write refused by the rate limit or admission control', () => {
    const shed = new HttpException({ statusCode: 503, error: 'Service Unavailable', message: 'busy', reason: 'in_flight' }, HttpStatus.SERVICE_UNAVAILABLE);
    expect(errorFrame('c6', 'place-order', new RetryLaterError(shed, 250))).toEqual({
      type: 'error', id: 'c6', action: 'place-order', status: 503, error: 'Service Unavailable', message: 'busy', reason: 'in_flight', retryAfterMs: 250,
    });
  });

  it('answers a database outage 503 and anything else 500, without detail', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(errorFrame('c7', 'place-order', outage)).toMatchObject({ status: 503, error: 'Service Unavailable', retryAfterMs: 5_000 });
    expect(errorFrame('c8', 'place-order', new Error('secret internals'))).toEqual({
      type: 'error', id: 'c8', action: 'place-order', status: 500, error: 'Internal Server Error', message: 'Internal server error',
    });
  });
});
