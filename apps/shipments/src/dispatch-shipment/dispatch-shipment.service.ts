import { Injectable } from '@nestjs/common';
import { Consumers, ShipmentDispatched, type EnvelopeOf, type ShipmentPrepared } from '#contracts';
import { ShipmentStatus, assertOneRowUpdated } from '#database';
import { IdempotentBatchConsumer, causedBy, newEvent, type BatchedEvent, type EventOutcome } from '#messaging';
import { changeShipments, shipmentsById } from '../shipment-rows.js';

/**
 * Hands prepared shipments to the carrier, a batch at a time. A separate step
 * (and consumer) from preparing, as a real carrier hand-off is: it moves the
 * order to SHIPPED. A shipment cancelled meanwhile (see CancelShipmentService)
 * is not dispatched.
 */
@Injectable()
export class DispatchShipmentService {
  constructor(private readonly batches: IdempotentBatchConsumer) {}

  dispatch(events: ReadonlyArray<BatchedEvent<EnvelopeOf<typeof ShipmentPrepared>>>): Promise<EventOutcome[]> {
    return this.batches.applyBatch(Consumers.shipmentsOnShipmentPrepared.durable, events, async (event, uow) => {
      const { shipmentId, orderId } = event.payload;
      const shipment = await uow.read(shipmentsById, shipmentId);
      if (!shipment) throw new Error(`shipment ${shipmentId} not found`);
      if (shipment.status !== ShipmentStatus.PREPARED) return;
      const trackingNumber = `TRK-${shipment.id.replaceAll('-', '').slice(-12).toUpperCase()}`;
      const changed = await uow.write(changeShipments, { id: shipment.id, version: shipment.version, status: ShipmentStatus.DISPATCHED, trackingNumber });
      assertOneRowUpdated(changed ? 1 : 0, `shipment ${shipment.id}`);
      uow.emit([newEvent(ShipmentDispatched, shipment.id, { shipmentId, orderId, trackingNumber }, causedBy(event))]);
    });
  }
}
