import type { DeadLetterReason, DeadLetterStatus } from '#contracts';
import type { Prisma } from '#database';

/** Which dead letters an operator means. Every field narrows; none means all. */
export interface DeadLetterFilter {
  consumer?: string;
  /** The original subject, exactly. */
  subject?: string;
  reason?: DeadLetterReason;
  status?: DeadLetterStatus;
  /** Dead-lettered at or after. */
  from?: Date;
  /** Dead-lettered before. */
  to?: Date;
}

export function whereOf(filter: DeadLetterFilter): Prisma.DeadLetterEventWhereInput {
  return {
    consumer: filter.consumer,
    originalSubject: filter.subject,
    reason: filter.reason,
    status: filter.status,
    createdAt: filter.from || filter.to ? { gte: filter.from, lt: filter.to } : undefined,
  };
}
