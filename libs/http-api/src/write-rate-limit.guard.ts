import { HttpException, HttpStatus, Inject, Injectable, Optional, UseGuards, applyDecorators, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthenticatedRequest } from './api-access.js';
import { ErrorResponseDto } from './error-response.dto.js';

export interface WriteRateLimitOptions {
  /** Writes per window per client; 0 turns the limit off. */
  writes: number;
  windowMs: number;
}

/** The one count of a service's writes per client, shared by the guard instances of every module. */
export class WriteRateLimit {
  readonly limiter: RateLimiterMemory | undefined;

  constructor(readonly options: WriteRateLimitOptions) {
    this.limiter = options.writes > 0 ? new RateLimiterMemory({ points: options.writes, duration: options.windowMs / 1000 }) : undefined;
  }
}

/**
 * At most `writes` writes per client per window, across all write routes.
 * The client is the API key's name (ApiKeyGuard, a global guard, runs first),
 * else the address. The counts live in the replica's memory, so N replicas
 * let a client make about N times the limit; rate-limiter-flexible has
 * shared stores (Redis, PostgreSQL) for an exact limit.
 *
 * rate-limiter-flexible rather than @nestjs/throttler: throttler 6 is
 * CommonJS and requires Nest 12's ESM-only @nestjs/common, which Node loads
 * (require of ESM) but Jest's module runtime does not.
 */
@Injectable()
export class WriteRateLimitGuard implements CanActivate {
  /** Optional: an app without ApiAccessModule (a test of one module) has no limits, as it has no keys. */
  constructor(@Optional() @Inject(WriteRateLimit) private readonly limit?: WriteRateLimit) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limit || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const refused = await consumeWrite(this.limit, request.apiClient ? `key:${request.apiClient.name}` : `ip:${request.ip ?? 'unknown'}`);
    if (!refused) return true;
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(refused.retryAfterSeconds));
    throw refused.error;
  }
}

/**
 * Counts one write of `client` (`key:<name>` or `ip:<address>`) against the
 * limit: undefined when it may go ahead, else the 429 and when to retry. The
 * HTTP guard and the WebSocket commands (orders-api's live updates) share it
 * and the count, so a client cannot double its limit by switching transport.
 */
export async function consumeWrite(limit: WriteRateLimit, client: string): Promise<{ error: HttpException; retryAfterSeconds: number } | undefined> {
  const { limiter, options } = limit;
  if (!limiter) return undefined;
  try {
    await limiter.consume(client);
    return undefined;
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    const error = new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `Too many writes from this client: at most ${options.writes} per ${options.windowMs / 1000} s. Retry after ${retryAfterSeconds} s.`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    return { error, retryAfterSeconds };
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
