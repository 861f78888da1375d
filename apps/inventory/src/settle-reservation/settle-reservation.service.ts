import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { InventoryCommitted, InventoryReleased, type EventEnvelope } from '#contracts';
import { VersionConflictError } from '#database';
import { IdempotentBatchConsumer, causedBy, newEvent, type BatchedEvent, type EventOutcome, type UnitOfWork } from '#messaging';
import { insertReservations, reservationsOfOrders, settleReservations } from '../reservations/reservation-rows.js';
import { stockEventsOf } from '../stock/stock-events.js';
import { moveStock } from '../stock/stock-rows.js';

type OrderEvent = EventEnvelope<{ orderId: string }>;

/** What an event does to a reservation: give the units back, or take them out of the warehouse. */
export type Settlement = 'release' | 'commit';

/**
 * The compensation and the last step of the saga, once per reservation:
 * a failed or voided payment, or a cancellation (shipments.cancelled),
 * releases the held units; a dispatched shipment commits them (on hand goes
 * down). The reservation's status decides, under its row lock, so whichever
 * event comes first acts and the others find it settled, in any order and
 * however often they are redelivered.
 *
 * A cancellation that arrives before the order's orders.created leaves a
 * CANCELLED reservation, holding nothing, so that the late orders.created
 * reserves nothing either. A commit of a released reservation (or the
 * reverse) cannot happen in the saga, as shipments dispatches or cancels,
 * never both: it is logged and left, never applied.
 */
@Injectable()
export class SettleReservationService {
  private readonly logger = new Logger(SettleReservationService.name);

  constructor(private readonly batches: IdempotentBatchConsumer) {}

  applyBatch(consumer: string, events: ReadonlyArray<BatchedEvent<OrderEvent>>, settlement: Settlement): Promise<EventOutcome[]> {
    return this.batches.applyBatch(consumer, events, (event, uow) => this.settle(event, uow, settlement));
  }

  async settle(event: OrderEvent, uow: UnitOfWork, settlement: Settlement): Promise<void> {
    const { orderId } = event.payload;
    const reservation = await uow.read(reservationsOfOrders, orderId);
    if (!reservation) {
      if (settlement === 'release') await this.cancelBeforeReserving(uow, orderId, event);
      else uow.afterCommit(() => this.logger.warn(`RESERVATION_MISSING order=${orderId}: ${event.type} for an order inventory never saw`));
      return;
    }
    if (reservation.status !== 'RESERVED') {
      const expected = settlement === 'commit' ? 'COMMITTED' : ['RELEASED', 'REJECTED', 'CANCELLED'];
      if (!expected.includes(reservation.status)) {
        uow.afterCommit(() => this.logger.warn(`RESERVATION_CONFLICT order=${orderId}: ${event.type} for a ${reservation.status} reservation, left as it is`));
      }
      return;
    }
    const moved = await uow.write(moveStock, { kind: settlement, lines: reservation.lines });
    const status = settlement === 'release' ? 'RELEASED' : 'COMMITTED';
    if (!(await uow.write(settleReservations, { id: reservation.id, version: reservation.version, status, settledBy: event.type }))) {
      throw new VersionConflictError(`reservation ${reservation.id}`);
    }
    const cause = causedBy(event);
    const payload = { orderId, reservationId: reservation.id, lines: reservation.lines };
    uow.emit([
      settlement === 'release' ? newEvent(InventoryReleased, reservation.id, { ...payload, cause: event.type }, cause) : newEvent(InventoryCommitted, reservation.id, payload, cause),
      ...stockEventsOf(moved, cause),
    ]);
  }

  /** The order was cancelled before inventory saw it: mark it so that its orders.created holds nothing. */
  private async cancelBeforeReserving(uow: UnitOfWork, orderId: string, event: OrderEvent): Promise<void> {
    const opened = await uow.write(insertReservations, { id: uuidv7(), orderId, status: 'CANCELLED', lines: [], shortages: null, settledBy: event.type });
    if (!opened) throw new VersionConflictError(`reservation of order ${orderId}`);
  }
}
