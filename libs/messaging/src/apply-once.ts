import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import { withVersionRetry, type SqlClient, type TransactionalSqlClient } from '#database';
import { duplicatesSkipped } from '#metrics';
import { logEvent } from '#telemetry';
import { Inbox } from './inbox.js';
import type { ServiceSchema } from './service-schema.js';

export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * Runs a consumer's effect at most once per event: the inbox record and the
 * effect share one transaction, and a lost optimistic-lock race re-runs the
 * whole unit (re-reading the aggregate) instead of overwriting.
 */
export class IdempotentConsumer {
  private readonly inbox: Inbox;
  private readonly logger = new Logger('Inbox');

  constructor(
    private readonly db: TransactionalSqlClient,
    schema: ServiceSchema,
  ) {
    this.inbox = new Inbox(schema);
  }

  async apply(
    consumer: string,
    event: EventEnvelope,
    effect: (tx: SqlClient) => Promise<void>,
  ): Promise<ApplyOutcome> {
    const outcome = await withVersionRetry(() =>
      this.db.$transaction(async (tx) => {
        const first = await this.inbox.recordFirstDelivery(tx, consumer, event);
        if (!first) return 'duplicate' as const;
        await effect(tx);
        return 'applied' as const;
      }),
    );
    if (outcome === 'duplicate') {
      // Counted after the commit: a rolled-back attempt has skipped nothing.
      duplicatesSkipped.inc({ consumer, subject: event.type });
      logEvent(
        this.logger,
        'DUPLICATE_EVENT',
        { consumer, eventId: event.id, eventType: event.type, aggregateId: event.aggregateId },
        `${consumer}: ${event.type} ${event.id} already applied, skipped`,
      );
    }
    return outcome;
  }
}
