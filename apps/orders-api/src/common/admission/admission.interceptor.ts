import { HttpException, HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import { ServiceProbes } from '#bootstrap';
import { requestsShed } from '#metrics';
import type { OrdersEnv } from '../../orders-env.js';
import { admissionFor, type AdmissionLimits } from './admission-policy.js';

/** How old the outbox backlog figure may be before a request starts a new measurement (not waiting for it). */
const BACKLOG_REFRESH_MS = 500;

/**
 * Admission control for the write endpoints (placing and cancelling orders):
 * counts the writes in progress and refuses a new one at once, 503 with
 * Retry-After (seconds, as HTTP has it) and Retry-After-Ms, when the process
 * or its relay is past its bound (see admission-policy.ts).
 *
 * The backlog figure never delays a request: the last measurement is used,
 * and a stale one is refreshed in the background (ServiceProbes' cached
 * query, the one readiness and the metrics use). One instance per process,
 * shared by every route it guards.
 */
@Injectable()
export class AdmissionInterceptor implements NestInterceptor {
  private readonly limits: AdmissionLimits;
  private inFlight = 0;
  private outboxBacklog = 0;
  private backlogMeasuredAt = 0;
  private measuring = false;

  constructor(
    private readonly probes: ServiceProbes,
    config: ConfigService<OrdersEnv, true>,
  ) {
    this.limits = {
      maxInFlight: config.get('ORDERS_MAX_IN_FLIGHT', { infer: true }),
      maxOutboxBacklog: config.get('ORDERS_ADMIT_MAX_OUTBOX_BACKLOG', { infer: true }),
    };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.refreshBacklogIfStale();
    const decision = admissionFor({ inFlight: this.inFlight, outboxBacklog: this.outboxBacklog }, this.limits);
    if (!decision.admit) {
      // Counted, not logged: under overload a line per refusal would be the next overload.
      requestsShed.inc({ reason: decision.reason });
      const response = context.switchToHttp().getResponse<Response>();
      response.setHeader('Retry-After', String(Math.ceil(decision.retryAfterMs / 1_000)));
      response.setHeader('Retry-After-Ms', String(decision.retryAfterMs));
      throw new HttpException(
        { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: decision.message, reason: decision.reason },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    this.inFlight += 1;
    return next.handle().pipe(finalize(() => (this.inFlight -= 1)));
  }

  private refreshBacklogIfStale(): void {
    if (this.measuring || Date.now() - this.backlogMeasuredAt < BACKLOG_REFRESH_MS) return;
    this.measuring = true;
    this.probes
      .outbox()
      .then((sample) => (this.outboxBacklog = sample.unpublished))
      // PostgreSQL away: the request will meet it and answer 503 itself; keep the last figure.
      .catch(() => undefined)
      .finally(() => {
        this.backlogMeasuredAt = Date.now();
        this.measuring = false;
      });
  }
}
