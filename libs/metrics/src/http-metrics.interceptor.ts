import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Counter, Histogram } from 'prom-client';
import type { Observable } from 'rxjs';

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/**
 * Counts and times every HTTP request a controller handles. The route label
 * is Express's template (`/api/v1/orders/:id`), never the URL, so there is one
 * series per endpoint and not one per order. Recorded when the response is
 * finished, so the status is the one sent, also when a filter turned an
 * exception into it.
 */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const stopTimer = httpRequestDuration.startTimer();
    response.once('finish', () => {
      const labels = {
        method: request.method,
        route: `${request.baseUrl ?? ''}${(request.route as { path?: string } | undefined)?.path ?? ''}` || 'unknown',
        status: String(response.statusCode),
      };
      stopTimer(labels);
      httpRequests.inc(labels);
    });
    return next.handle();
  }
}
