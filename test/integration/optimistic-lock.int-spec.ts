import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  assertOneRowUpdated,
  OrderState,
  VersionConflictError,
  withVersionRetry,
  type Order,
  type TransactionClient,
} from '#database';
import { startTestDatabase, type TestDatabase } from './support/database.js';

/**
 * Invariant 4: every update names the version it read; a lost race is
 * retried, never silently overwritten. Proven against a real PostgreSQL.
 */
const WRITERS = 10;

describe('optimistic locking (version-checked updates of one order)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    // One connection per writer: the retry test holds WRITERS transactions open at once.
    db = await startTestDatabase({ label: 'optimistic_lock', poolSize: WRITERS });
  });

  afterAll(async () => {
    await db?.stop();
  });

  async function createOrder(): Promise<Order> {
    return db.prisma.order.create({
      data: {
        id: randomUUID(),
        customerId: 'customer-1',
        state: OrderState.CREATED,
        currency: 'EUR',
        totalCents: 0,
        correlationId: randomUUID(),
      },
    });
  }

  function readOrder(client: Pick<TransactionClient, 'order'>, id: string): Promise<Order> {
    return client.order.findUniqueOrThrow({ where: { id } });
  }

  /** The write under test: add one cent, on condition the row is still at the version read. */
  async function addOneCent(client: Pick<TransactionClient, 'order'>, read: Order): Promise<void> {
    const updated = await client.order.updateMany({
      where: { id: read.id, version: read.version },
      data: { totalCents: read.totalCents + 1, version: read.version + 1 },
    });
    assertOneRowUpdated(updated, `order ${read.id} at version ${read.version}`);
  }

  it('lets exactly one of 10 concurrent writers of the same version win', async () => {
    const order = await createOrder();

    const outcomes = await Promise.allSettled(Array.from({ length: WRITERS }, () => addOneCent(db.prisma, order)));

    const losses = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(outcomes.length - losses.length).toBe(1);
    for (const loss of losses) expect(loss.reason).toBeInstanceOf(VersionConflictError);
    expect(await readOrder(db.prisma, order.id)).toMatchObject({
      version: order.version + 1,
      totalCents: order.totalCents + 1,
    });
  });

  it('lands all 10 increments when each writer retries its whole unit of work', async () => {
    const order = await createOrder();
    // On the first attempt every writer reads before any writes, so the race
    // is certain: one wins, nine conflict and must re-read and retry.
    const allHaveRead = barrier(WRITERS);
    let retries = 0;

    await Promise.all(
      Array.from({ length: WRITERS }, () =>
        withVersionRetry(
          (attempt) =>
            db.prisma.$transaction(async (tx) => {
              const read = await readOrder(tx, order.id);
              if (attempt === 1) await allHaveRead();
              await addOneCent(tx, read);
            }),
          // A writer loses only to another writer's commit, at most WRITERS - 1 times.
          { attempts: WRITERS, baseDelayMs: 5, onRetry: () => retries++ },
        ),
      ),
    );

    expect(await readOrder(db.prisma, order.id)).toMatchObject({
      version: order.version + WRITERS,
      totalCents: order.totalCents + WRITERS,
    });
    expect(retries).toBeGreaterThanOrEqual(WRITERS - 1);
  });

  it('rejects a write that names a stale version and keeps the newer row', async () => {
    const order = await createOrder();
    await addOneCent(db.prisma, order); // another writer moves the order on

    await expect(addOneCent(db.prisma, order)).rejects.toBeInstanceOf(VersionConflictError);

    expect(await readOrder(db.prisma, order.id)).toMatchObject({
      version: order.version + 1,
      totalCents: order.totalCents + 1,
    });
  });
});

/** Resolves every waiter once `parties` of them are waiting. */
function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++waiting === parties) release();
    return released;
  };
}
