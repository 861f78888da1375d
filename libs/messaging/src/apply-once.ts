import type { EventEnvelope } from '#contracts';
import { withVersionRetry, type SqlClient, type TransactionalSqlClient } from '#database';
import { Inbox } from './inbox.js';
import type { ApplyOutcome } from './unit-of-work/idempotent-batch.js';
import type { ServiceSchema } from './service-schema.js';
import { TransactionBatcher, type TransactionBatcherOptions } from './transaction-batcher.js';


/** One transaction per event: the default (CONSUMER_TRANSACTION_BATCH=1), and for tests. */
const UNBATCHED: TransactionBatcherOptions = { maxUnits: 1, maxTransactions: 1 };

/**
 * Runs a consumer's effect at most once per event: the inbox record and the
 * effect share one transaction, and a lost optimistic-lock race re-runs the
 * whole unit (re-reading the aggregate) instead of overwriting. Under load,
 * the units of events handled at the same moment share a transaction (see
 * TransactionBatcher); each still commits before `apply` resolves.
 *
 * MessagingModule provides one on SqlDatabase (plain SQL, the services' hot
 * paths); one built on PrismaService hands the effect Prisma's typed client.
 */
export class IdempotentConsumer<Tx extends SqlClient = SqlClient> {
  private readonly inbox: Inbox;
  private readonly transactions: TransactionBatcher<Tx>;

  constructor(db: TransactionalSqlClient<Tx>, schema: ServiceSchema, batching: TransactionBatcherOptions = UNBATCHED) {
    this.inbox = new Inbox(schema);
    this.transactions = new TransactionBatcher(db, batching);
  }

  async apply(
    consumer: string,
    event: EventEnvelope,
    effect: (tx: Tx) => Promise<void>,
  ): Promise<ApplyOutcome> {
    const outcome = await withVersionRetry(() =>
      this.transactions.run(async (tx) => {
        const first = await this.inbox.recordFirstDelivery(tx, consumer, event);
        if (!first) return 'duplicate' as const;
        await effect(tx);
        return 'applied' as const;
      }),
    );
    // Counted after the commit: a rolled-back attempt has skipped nothing.
    if (outcome === 'duplicate') this.inbox.reportDuplicate(consumer, event);
    return outcome;
  }
}
