import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { InventoryRejected, InventoryReserved, type EnvelopeOf, type OrderCreated } from '#contracts';
import { VersionConflictError } from '#database';
import { IdempotentBatchConsumer, causedBy, newEvent, type BatchedEvent, type EventOutcome, type UnitOfWork } from '#messaging';
import { insertReservations, reservationsOfOrders } from '../reservations/reservation-rows.js';
import { stockEventsOf } from '../stock/stock-events.js';
import { moveStock } from '../stock/stock-rows.js';

type OrderCreatedEvent = EnvelopeOf<typeof OrderCreated>;

/**
 * The first step of the saga: every line of a new order is held in stock, or
 * none is. Held: the reservation is RESERVED and inventory.reserved lets
 * payments charge. Short: the reservation is REJECTED with what was short,
 * and inventory.rejected ends the order (a business outcome: the message is
 * acknowledged like any other).
 *
 * Never oversold: the batch's products are locked and moved in one pass in
 * the order the events came (moveStock), and the table's CHECK refuses a
 * reserved count above on hand whatever the code does. An order that
 * already has a reservation (a copy of the event under a new msg id, or a
 * cancellation that got here first: CANCELLED) is left alone.
 */
@Injectable()
export class ReserveStockService {
  private readonly logger = new Logger(ReserveStockService.name);

  constructor(private readonly batches: IdempotentBatchConsumer) {}

  applyBatch(consumer: string, events: ReadonlyArray<BatchedEvent<OrderCreatedEvent>>): Promise<EventOutcome[]> {
    return this.batches.applyBatch(consumer, events, (event, uow) => this.reserve(event, uow));
  }

  async reserve(event: OrderCreatedEvent, uow: UnitOfWork): Promise<void> {
    const { orderId, customerId, currency, totalCents } = event.payload;
    if (await uow.read(reservationsOfOrders, orderId)) return;
    const lines = event.payload.lines.map(({ sku, quantity }) => ({ sku, quantity }));
    const moved = await uow.write(moveStock, { kind: 'reserve', lines });
    const reservationId = uuidv7();
    const reserved = moved.outcome === 'moved';
    const opened = await uow.write(insertReservations, {
      id: reservationId,
      orderId,
      status: reserved ? 'RESERVED' : 'REJECTED',
      lines,
      shortages: reserved ? null : moved.shortages,
      settledBy: null,
    });
    // Another event of the order (its cancellation) opened one after our read:
    // the batch rolls back (the stock with it) and runs again, then reads it.
    if (!opened) throw new VersionConflictError(`reservation of order ${orderId}`);
    const cause = causedBy(event);
    uow.emit([
      reserved
        ? newEvent(InventoryReserved, reservationId, { orderId, reservationId, customerId, currency, totalCents, lines }, cause)
        : newEvent(InventoryRejected, reservationId, { orderId, reservationId, shortages: moved.shortages }, cause),
      ...stockEventsOf(moved, cause),
    ]);
    if (!reserved) {
      uow.afterCommit(() => this.logger.log(`ORDER_REJECTED order=${orderId} short of ${moved.shortages.map((s) => s.sku).join(', ')}`));
    }
  }
}
