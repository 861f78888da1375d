import { HttpException, HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import { ServiceProbes } from '#bootstrap';
import { requestsShed } from '#metrics';
import type { OrdersEnv } from '../../orders-env.js';
import { admissionFor, type AdmissionLimits } from './admission-policy.js';
import { BackgroundFigure } from './background-figure.js';
import { PipelineLag } from './pipeline-lag.js';

/** How old a load figure may be before a request starts a new measurement (never waiting for it). */
const FIGURE_MAX_AGE_MS = 500;

/**
 * Admission control for the write endpoints (placing and cancelling orders):
 * counts the writes in progress and refuses a new one at once, 503 with
 * Retry-After (seconds, as HTTP has it) and Retry-After-Ms, when the process,
 * its relay or the pipeline downstream is past its bound (admission-policy.ts).
 *
 * The backlog and lag figures never delay a request: the last measurement is
 * used, and a stale one is refreshed in the background (BackgroundFigure).
 * One instance per process, shared by every route it guards.
 */
@Injectable()
export class AdmissionInterceptor implements NestInterceptor {
  private readonly limits: AdmissionLimits;
  private readonly outboxBacklog: BackgroundFigure;
  private readonly pipelineLag: BackgroundFigure;
  private inFlight = 0;

  constructor(probes: ServiceProbes, lag: PipelineLag, config: ConfigService<OrdersEnv, true>) {
    this.limits = {
      maxInFlight: config.get('ORDERS_MAX_IN_FLIGHT', { infer: true }),
      maxOutboxBacklog: config.get('ORDERS_ADMIT_MAX_OUTBOX_BACKLOG', { infer: true }),
      maxPipelineLag: config.get('ORDERS_ADMIT_MAX_PIPELINE_LAG', { infer: true }),
    };
    // The readiness check's cached query, and the consumers' info on NATS.
    this.outboxBacklog = new BackgroundFigure(async () => (await probes.outbox()).unpublished, FIGURE_MAX_AGE_MS);
    this.pipelineLag = new BackgroundFigure(() => lag.measure(), FIGURE_MAX_AGE_MS);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const admission = this.admit();
    if ('refused' in admission) {
      const response = context.switchToHttp().getResponse<Response>();
      response.setHeader('Retry-After', String(Math.ceil(admission.retryAfterMs / 1_000)));
      response.setHeader('Retry-After-Ms', String(admission.retryAfterMs));
      throw admission.refused;
    }
    return next.handle().pipe(finalize(admission.release));
  }

  /**
   * Admits one write, counted in progress until release() is called, or
   * refuses it: the 503 and when to retry. For the HTTP routes (intercept)
   * and the live-updates commands alike, so both share the one count.
   */
  admit(): { release: () => void } | { refused: HttpException; retryAfterMs: number } {
    const load = { inFlight: this.inFlight, outboxBacklog: this.outboxBacklog.read(), pipelineLag: this.pipelineLag.read() };
    const decision = admissionFor(load, this.limits);
    if (!decision.admit) {
      // Counted, not logged: under overload a line per refusal would be the next overload.
      requestsShed.inc({ reason: decision.reason });
      const refused = new HttpException(
        { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: decision.message, reason: decision.reason },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
      return { refused, retryAfterMs: decision.retryAfterMs };
    }
    this.inFlight += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
      },
    };
  }
}
