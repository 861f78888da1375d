import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, OrderCancelled, ShipmentCancelled, type EnvelopeOf } from '#contracts';
import { ShipmentStatus, VersionConflictError, afterCommit, assertOneRowUpdated } from '#database';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome } from '#messaging';
import { findShipmentOfOrder, insertShipmentIfNone, updateShipment } from '../shipment-rows.js';

/**
 * Stops the shipment of a cancelled order, or refuses because the carrier
 * already has it. shipments decides first because only it knows whether the
 * parcel left: payments refunds only after shipments.cancelled, so an order is
 * never both shipped and refunded.
 *
 * - no shipment yet: a CANCELLED row is written, so that a payments.succeeded
 *   arriving later prepares nothing (one row per order);
 * - PREPARED: it becomes CANCELLED, and the dispatch step skips it;
 * - DISPATCHED: too late; nothing is emitted, the order ends SHIPPED through
 *   shipments.dispatched and no refund is issued.
 * The dispatch step and this one update the same versioned row, so exactly
 * one of them wins.
 */
@Injectable()
export class CancelShipmentService {
  private readonly logger = new Logger(CancelShipmentService.name);

  constructor(
    private readonly idempotent: IdempotentConsumer,
    private readonly outbox: OutboxWriter,
  ) {}

  cancel(event: EnvelopeOf<typeof OrderCancelled>): Promise<ApplyOutcome> {
    const { orderId } = event.payload;
    return this.idempotent.apply(Consumers.shipmentsOnOrderCancelled.durable, event, async (tx) => {
      const shipment = await findShipmentOfOrder(tx, orderId);
      if (shipment?.status === ShipmentStatus.DISPATCHED) {
        afterCommit(tx, () => this.logger.warn(`CANCEL_REFUSED order=${orderId}: shipment ${shipment.id} already dispatched`));
        return;
      }
      if (shipment?.status === ShipmentStatus.CANCELLED) return;
      if (shipment) {
        assertOneRowUpdated(await updateShipment(tx, shipment, { status: ShipmentStatus.CANCELLED }), `shipment ${shipment.id}`);
      } else {
        const placeholder = { id: uuidv7(), orderId, paymentId: null, status: ShipmentStatus.CANCELLED, warehouse: '-' };
        // payments.succeeded prepared one meanwhile: decide again on it.
        if (!(await insertShipmentIfNone(tx, placeholder))) throw new VersionConflictError(`shipment of order ${orderId}`);
      }
      await this.outbox.add(tx, [
        newEvent(ShipmentCancelled, orderId, { orderId, shipmentId: shipment?.id ?? null }, causedBy(event)),
      ]);
      afterCommit(tx, () => this.logger.log(`SHIPMENT_CANCELLED order=${orderId} ${shipment ? `shipment ${shipment.id}` : 'before preparation'}`));
    });
  }
}
