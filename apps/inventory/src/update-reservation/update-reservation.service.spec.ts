import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { ReservationReserved, OrderCreated, type EnvelopeOf } from '#contracts';
import { VersionConflictError } from '#database';
import type { BatchQuery, IdempotentBatchConsumer, NewEvent, UnitOfWork } from '#messaging';
import { reservationOfOrders, insertReservationIfNone, updateReservationAtVersion, type ReservationRow } from '../inventory-rows.js';
import { UpdateReservationService, type ReservationEvent } from './update-reservation.service.js';

/**
 * The use case's decisions, with its unit of work in memory: the table's
 * statements answered from a Map with the same version check, the outbox
 * recorded. The set-based statements, the inbox (a redelivery changes
 * nothing) and whole batches on real PostgreSQL and NATS are in
 * test/integration/inventory-service.int-spec.ts.
 */
function setUp() {
  const rows = new Map<string, ReservationRow>();
  const emitted: NewEvent[] = [];
  let concurrentChange = false;
  const answers = new Map<unknown, (input: unknown) => unknown>();
  const answer = <In, Out>(query: BatchQuery<In, Out>, fn: (input: In) => Out) => answers.set(query, fn as (input: unknown) => unknown);
  answer(reservationOfOrders, (orderId) => {
    const row = rows.get(orderId);
    return row ? { ...row } : null;
  });
  answer(insertReservationIfNone, (input) => {
    if (rows.has(input.orderId)) return null;
    const row = { ...input, eventsApplied: 1, version: 1 };
    rows.set(row.orderId, row);
    return { ...row };
  });
  answer(updateReservationAtVersion, (change) => {
    const row = [...rows.values()].find((candidate) => candidate.id === change.id);
    if (row && concurrentChange) row.version += 1;
    if (!row || row.version !== change.version) return false;
    Object.assign(row, { lastEventType: change.lastEventType, eventsApplied: row.eventsApplied + 1, version: row.version + 1 });
    return true;
  });
  const run = async <In, Out>(query: BatchQuery<In, Out>, input: In) => answers.get(query)!(input) as Out;
  const uow: UnitOfWork = {
    read: run,
    write: run,
    emit: (events) => {
      emitted.push(...events);
      return [];
    },
    afterCommit: (fn) => fn(),
    onLeftOut: () => {},
  };
  return {
    // applyOne needs no inbox: applyBatch's part is tested on PostgreSQL.
    useCase: new UpdateReservationService({} as IdempotentBatchConsumer),
    uow,
    rows,
    emitted,
    /** The next update finds the row changed by someone else since it was read. */
    changeConcurrently: () => {
      concurrentChange = true;
    },
  };
}

/** A orders.created for the order; only orderId matters to this use case. */
function consumedEvent(orderId: string): ReservationEvent {
  const id = uuidv7();
  return {
    id,
    type: OrderCreated.type,
    schemaVersion: OrderCreated.schemaVersion,
    occurredAt: new Date().toISOString(),
    aggregateId: orderId,
    correlationId: id,
    causationId: id,
    payload: { orderId } as EnvelopeOf<typeof OrderCreated>['payload'],
  };
}

describe('UpdateReservationService', () => {
  it('opens the order’s Reservation on its first event and emits inventory.reserved', async () => {
    const { useCase, uow, rows, emitted } = setUp();
    const orderId = uuidv7();
    const event = consumedEvent(orderId);

    await useCase.applyOne(event, uow);

    const row = rows.get(orderId)!;
    expect(row).toMatchObject({ eventsApplied: 1, version: 1, lastEventType: event.type });
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      event: ReservationReserved,
      aggregateId: row.id,
      payload: { orderId, reservationId: row.id },
      cause: { correlationId: event.correlationId, causationId: event.id },
    });
    expect(ReservationReserved.payload.safeParse(emitted[0]!.payload).success).toBe(true);
  });

  it('updates it naming the version it read, once per later event', async () => {
    const { useCase, uow, rows, emitted } = setUp();
    const orderId = uuidv7();
    await useCase.applyOne(consumedEvent(orderId), uow);
    await useCase.applyOne(consumedEvent(orderId), uow);

    expect(rows.get(orderId)).toMatchObject({ eventsApplied: 2, version: 2 });
    expect(emitted).toHaveLength(2);
  });

  it('turns a lost race into a VersionConflictError, so the batch runs again', async () => {
    const { useCase, uow, rows, emitted, changeConcurrently } = setUp();
    const orderId = uuidv7();
    await useCase.applyOne(consumedEvent(orderId), uow);
    changeConcurrently();

    await expect(useCase.applyOne(consumedEvent(orderId), uow)).rejects.toBeInstanceOf(VersionConflictError);
    expect(rows.get(orderId)!.eventsApplied).toBe(1);
    expect(emitted).toHaveLength(1);
  });
});
