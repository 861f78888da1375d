import { Logger } from '@nestjs/common';
import { DeadLetterStatus } from '#contracts';
import type { PrismaService } from '#database';
import { logEvent } from '#telemetry';
import { AppliedEvents, appliedResolution } from './applied-events.js';

const PAGE = 500;

/**
 * Resolves open dead letters whose event their consumer applied after the
 * dead letter was recorded: a copy of the event under another msg id (a
 * twin) may still succeed after the original used up its deliveries. Then
 * the dead letter is no work left undone, and leaves the open list as
 * RESOLVED, with who applied the event and when. The recorder asks the same
 * question when it records; this asks again, every `intervalMs`, of every
 * PENDING dead letter that carries an event id (there are few: each is work
 * for an operator). Hand-written: a periodic query, nothing a library adds.
 */
export class DeadLetterReconciler {
  private readonly logger = new Logger('DeadLetters');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly applied: AppliedEvents,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.reconcile()
        .catch((error: Error) => this.logger.warn(`dead-letter reconciliation failed, next pass in ${this.intervalMs} ms: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass over the open dead letters; returns how many it resolved. */
  async reconcile(): Promise<number> {
    let resolved = 0;
    for (let after: string | undefined; ; ) {
      const open = await this.prisma.deadLetterEvent.findMany({
        where: { status: DeadLetterStatus.PENDING, eventId: { not: null }, ...(after && { id: { gt: after } }) },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: { id: true, consumer: true, eventId: true },
      });
      if (open.length === 0) return resolved;
      after = open.at(-1)!.id;
      const applied = await this.applied.of(open.map((row) => ({ consumer: row.consumer, eventId: row.eventId! })));
      const byKey = new Map(applied.map((event) => [`${event.consumer}/${event.eventId}`, event]));
      for (const row of open) {
        const event = byKey.get(`${row.consumer}/${row.eventId}`);
        if (!event) continue;
        // Only while still PENDING: an operator's replay or discard meanwhile wins.
        const { count } = await this.prisma.deadLetterEvent.updateMany({
          where: { id: row.id, status: DeadLetterStatus.PENDING },
          data: { status: DeadLetterStatus.RESOLVED, resolution: appliedResolution(event), resolvedAt: new Date(), version: { increment: 1 } },
        });
        if (count === 0) continue;
        resolved += 1;
        logEvent(
          this.logger,
          'DLQ_RESOLVED',
          { deadLetterId: row.id, consumer: row.consumer, eventId: row.eventId },
          `dead letter ${row.id} resolved: ${row.consumer} applied event ${row.eventId} after it was recorded`,
        );
      }
      if (open.length < PAGE) return resolved;
    }
  }
}
