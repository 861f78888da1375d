import { Injectable, UseGuards, applyDecorators, type ExecutionContext } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from './api-access.js';
import { ErrorResponseDto } from './error-response.dto.js';

/**
 * Nest's throttler on the write routes, one budget per client across all of
 * them: the API key's name (ApiKeyGuard runs first), else the address. The
 * count lives in the replica's memory, so N replicas let a client make about
 * N times the limit; a shared store (Redis) would make it exact.
 */
@Injectable()
export class WriteRateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: AuthenticatedRequest): Promise<string> {
    return request.apiClient ? `key:${request.apiClient.name}` : `ip:${request.ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return createHash('sha256').update(`writes:${throttler}:${tracker}`).digest('hex');
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new ThrottlerException(
      `Too many writes from this client: at most ${detail.limit} per ${detail.ttl / 1000} s. Retry after Retry-After seconds.`,
    );
  }
}

/** A write route: rate limited per client, with the 429 documented. */
export function RateLimitedWrite(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(WriteRateLimitGuard),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'Too many writes from this API key; nothing was changed. Retry after the Retry-After.',
      headers: { 'Retry-After': { description: 'Seconds until the client may write again', schema: { type: 'integer', example: 3 } } },
    }),
  );
}
