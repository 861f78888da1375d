import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EMPTY, Subject, asyncScheduler, catchError, concat, concatMap, defer, from, share, takeUntil, throttleTime, type Observable } from 'rxjs';
import { AnalyticsFigures } from './analytics-figures.js';
import type { AnalyticsDto } from './http/analytics.dto.js';

/** The live feed sends new figures at most this often (ms), and always the figures after the last change. */
export const FEED_INTERVAL_MS = 500;

/**
 * The live figures: `changed()` is called after each committed batch, and
 * every subscriber of `figures()` gets the current figures at once, then new
 * ones after changes, at most every FEED_INTERVAL_MS (leading and trailing,
 * so the last change is never left out). One computation serves every
 * subscriber, and none runs while nobody listens. A failed read (PostgreSQL
 * away) skips that update; the next change tries again. At shutdown the
 * streams complete, so open connections do not hold the server up.
 */
@Injectable()
export class AnalyticsFeed implements OnApplicationShutdown {
  private readonly changes = new Subject<void>();
  private readonly closing = new Subject<void>();
  private readonly updates: Observable<AnalyticsDto>;

  constructor(private readonly analytics: AnalyticsFigures) {
    this.updates = this.changes.pipe(
      throttleTime(FEED_INTERVAL_MS, asyncScheduler, { leading: true, trailing: true }),
      concatMap(() => this.read()),
      share(),
    );
  }

  changed(): void {
    this.changes.next();
  }

  figures(): Observable<AnalyticsDto> {
    return concat(defer(() => this.read()), this.updates).pipe(takeUntil(this.closing));
  }

  onApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }

  private read(): Observable<AnalyticsDto> {
    return from(this.analytics.read()).pipe(catchError(() => EMPTY));
  }
}
