import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, OrderCancelled, ShipmentCancelled, type EnvelopeOf } from '#contracts';
import { ShipmentStatus, VersionConflictError, assertOneRowUpdated } from '#database';
import { IdempotentBatchConsumer, causedBy, newEvent, type ApplyOutcome } from '#messaging';
import { changeShipments, insertShipmentsIfNone, shipmentsOfOrders } from '../shipment-rows.js';

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

  constructor(private readonly idempotent: IdempotentBatchConsumer) {}

  cancel(event: EnvelopeOf<typeof OrderCancelled>): Promise<ApplyOutcome> {
    const { orderId } = event.payload;
    return this.idempotent.apply(Consumers.shipmentsOnOrderCancelled.durable, event, async (_event, uow) => {
      const shipment = await uow.read(shipmentsOfOrders, orderId);
      if (shipment?.status === ShipmentStatus.DISPATCHED) {
        uow.afterCommit(() => this.logger.warn(`CANCEL_REFUSED order=${orderId}: shipment ${shipment.id} already dispatched`));
        return;
      }
      if (shipment?.status === ShipmentStatus.CANCELLED) return;
      if (shipment) {
        const changed = await uow.write(changeShipments, { id: shipment.id, version: shipment.version, status: ShipmentStatus.CANCELLED, trackingNumber: null, carrier: null });
        assertOneRowUpdated(changed ? 1 : 0, `shipment ${shipment.id}`);
      } else {
        const placeholder = { id: uuidv7(), orderId, paymentId: null, status: ShipmentStatus.CANCELLED, warehouse: '-' };
        // payments.succeeded prepared one meanwhile: decide again on it.
        if (!(await uow.write(insertShipmentsIfNone, placeholder))) throw new VersionConflictError(`shipment of order ${orderId}`);
      }
      uow.emit([
        newEvent(ShipmentCancelled, orderId, { orderId, shipmentId: shipment?.id ?? null }, causedBy(event)),
      ]);
      uow.afterCommit(() => this.logger.log(`SHIPMENT_CANCELLED order=${orderId} ${shipment ? `shipment ${shipment.id}` : 'before preparation'}`));
    });
  }
}
