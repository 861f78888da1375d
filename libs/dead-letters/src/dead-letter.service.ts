import type { JetStreamClient } from '@nats-io/jetstream';
import { v7 as uuidv7 } from 'uuid';
import { DeadLetterStatus, replayMsgId } from '#contracts';
import { PrismaService, assertOneRowUpdated, withVersionRetry } from '#database';
import { whereOf, type DeadLetterFilter } from './dead-letter-filter.js';
import { toDetail, toSummary, type DeadLetterDetail, type DeadLetterPage } from './dead-letter-views.js';
import { DeadLetterConflictError, DeadLetterNotFoundError } from './errors.js';
import { bodyBytes } from './message-body.js';
import { asHeaderRecord, recordToHeaders, republishableHeaders } from './message-headers.js';

export interface ReplayManyResult {
  replayed: number;
  /** Matched but not replayable: discarded meanwhile, or recorded without its message. */
  skipped: number;
}

const withReplays = { replays: { orderBy: { id: 'asc' } } } as const;

/**
 * What an operator does with dead letters: look at them, replay them to their
 * original subject, or discard them with a reason. Every change names the
 * version it read (invariant 4).
 */
export class DeadLetterService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly js: JetStreamClient,
  ) {}

  /** Newest first; ids are UUIDv7, so id order is recording order and a stable cursor. */
  async list(filter: DeadLetterFilter & { limit: number; cursor?: string }): Promise<DeadLetterPage> {
    const rows = await this.prisma.deadLetterEvent.findMany({
      where: { ...whereOf(filter), id: filter.cursor ? { lt: filter.cursor } : undefined },
      orderBy: { id: 'desc' },
      take: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    return { items: page.map(toSummary), nextCursor: rows.length > filter.limit ? page.at(-1)!.id : null };
  }

  async get(id: string): Promise<DeadLetterDetail> {
    const row = await this.prisma.deadLetterEvent.findUnique({ where: { id }, include: withReplays });
    if (!row) throw new DeadLetterNotFoundError(id);
    return toDetail(row);
  }

  /**
   * Publishes the original body and headers to the original subject again,
   * with `Nats-Msg-Id` `replay:<id>:<n>`: new to the server, so not dropped as
   * a duplicate of the original. The envelope keeps its event id, so a
   * consumer that had in fact applied the event skips it in its inbox.
   *
   * The publish happens inside the transaction that marks the dead letter
   * REPLAYED and records the replay, after the version-checked update has
   * locked the row: a concurrent replay waits, then re-reads and becomes the
   * next replay. If the commit fails after the publish, a retry publishes the
   * same n again and the server drops it as a duplicate (within its window).
   */
  replay(id: string): Promise<DeadLetterDetail> {
    return withVersionRetry(() =>
      this.prisma.$transaction(
        async (tx) => {
          const row = await tx.deadLetterEvent.findUnique({ where: { id } });
          if (!row) throw new DeadLetterNotFoundError(id);
          if (row.status === DeadLetterStatus.DISCARDED) {
            throw new DeadLetterConflictError(`dead letter ${id} was discarded and cannot be replayed`);
          }
          if (row.status === DeadLetterStatus.RESOLVED) {
            throw new DeadLetterConflictError(`dead letter ${id} is resolved, there is nothing to replay: ${row.resolution}`);
          }
          if (row.data === null || row.originalSubject === null) {
            throw new DeadLetterConflictError(`dead letter ${id} has no message to replay: it had left its stream before it was recorded`);
          }
          const replayNumber = row.replayCount + 1;
          const updated = await tx.deadLetterEvent.updateMany({
            where: { id, version: row.version },
            data: {
              status: DeadLetterStatus.REPLAYED,
              replayCount: replayNumber,
              lastReplayedAt: new Date(),
              version: { increment: 1 },
            },
          });
          assertOneRowUpdated(updated, `dead letter ${id}`);
          const msgId = replayMsgId(id, replayNumber);
          const ack = await this.js.publish(row.originalSubject, bodyBytes(row.data, row.dataEncoding), {
            msgID: msgId,
            headers: recordToHeaders(republishableHeaders(asHeaderRecord(row.headers))),
          });
          await tx.deadLetterReplay.create({
            data: {
              id: uuidv7(),
              deadLetterId: id,
              publishedMsgId: msgId,
              result: ack.duplicate ? 'duplicate' : 'stored',
              publishedSeq: ack.seq,
            },
          });
          return toDetail((await tx.deadLetterEvent.findUnique({ where: { id }, include: withReplays }))!);
        },
        // The publish waits for the server's PubAck inside the transaction.
        { timeout: 30_000, maxWait: 10_000 },
      ),
    );
  }

  /**
   * Replays what the filter matches, oldest first (the order the messages
   * failed in, which is the order their consumers expect them), at most
   * `limit` of them. Only PENDING ones unless the filter names a status.
   */
  async replayMany(filter: DeadLetterFilter, limit: number): Promise<ReplayManyResult> {
    const rows = await this.prisma.deadLetterEvent.findMany({
      where: whereOf({ status: DeadLetterStatus.PENDING, ...definedOnly(filter) }),
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true },
    });
    const result: ReplayManyResult = { replayed: 0, skipped: 0 };
    for (const { id } of rows) {
      try {
        await this.replay(id);
        result.replayed += 1;
      } catch (error) {
        if (!(error instanceof DeadLetterConflictError || error instanceof DeadLetterNotFoundError)) throw error;
        result.skipped += 1;
      }
    }
    return result;
  }

  /** Marks a dead letter as not to be replayed, saying why. Discarding twice is a conflict. */
  discard(id: string, reason: string): Promise<DeadLetterDetail> {
    return withVersionRetry(async () => {
      const row = await this.prisma.deadLetterEvent.findUnique({ where: { id } });
      if (!row) throw new DeadLetterNotFoundError(id);
      if (row.status === DeadLetterStatus.DISCARDED) {
        throw new DeadLetterConflictError(`dead letter ${id} is already discarded`);
      }
      if (row.status === DeadLetterStatus.RESOLVED) {
        throw new DeadLetterConflictError(`dead letter ${id} is resolved, there is nothing to discard: ${row.resolution}`);
      }
      const updated = await this.prisma.deadLetterEvent.updateMany({
        where: { id, version: row.version },
        data: { status: DeadLetterStatus.DISCARDED, discardReason: reason, version: { increment: 1 } },
      });
      assertOneRowUpdated(updated, `dead letter ${id}`);
      return this.get(id);
    });
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
