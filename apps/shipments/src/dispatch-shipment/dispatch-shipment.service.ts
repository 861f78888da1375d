import { Injectable } from '@nestjs/common';
import { Consumers, ShipmentDispatched, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { ShipmentStatus, assertOneRowUpdated } from '#database';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome } from '#messaging';
import { findShipment, updateShipment } from '../shipment-rows.js';

/**
 * Hands a prepared shipment to the carrier. A separate step (and consumer)
 * from preparing, as a real carrier hand-off is: it moves the order to SHIPPED.
 * A shipment cancelled meanwhile (see CancelShipmentService) is not dispatched.
 */
@Injectable()
export class DispatchShipmentService {
  constructor(
    private readonly idempotent: IdempotentConsumer,
    private readonly outbox: OutboxWriter,
  ) {}

  dispatch(event: EnvelopeOf<typeof ShipmentPrepared>): Promise<ApplyOutcome> {
    const { shipmentId, orderId } = event.payload;
    return this.idempotent.apply(Consumers.shipmentsOnShipmentPrepared.durable, event, async (tx) => {
      const shipment = await findShipment(tx, shipmentId);
      if (shipment.status !== ShipmentStatus.PREPARED) return;
      const trackingNumber = `TRK-${shipment.id.replaceAll('-', '').slice(-12).toUpperCase()}`;
      const count = await updateShipment(tx, shipment, { status: ShipmentStatus.DISPATCHED, trackingNumber });
      assertOneRowUpdated(count, `shipment ${shipment.id}`);
      await this.outbox.add(tx, [
        newEvent(ShipmentDispatched, shipment.id, { shipmentId, orderId, trackingNumber }, causedBy(event)),
      ]);
    });
  }
}
