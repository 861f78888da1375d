import { Injectable } from '@nestjs/common';
import { Consumers, ShipmentDispatched, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { ShipmentStatus, assertOneRowUpdated, type TransactionClient } from '#database';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome } from '#messaging';

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
    return this.idempotent.apply<TransactionClient>(Consumers.shipmentsOnShipmentPrepared.durable, event, async (tx) => {
      const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
      if (shipment.status !== ShipmentStatus.PREPARED) return;
      const trackingNumber = `TRK-${shipment.id.replaceAll('-', '').slice(-12).toUpperCase()}`;
      const { count } = await tx.shipment.updateMany({
        where: { id: shipment.id, version: shipment.version },
        data: { status: ShipmentStatus.DISPATCHED, trackingNumber, version: { increment: 1 } },
      });
      assertOneRowUpdated(count, `shipment ${shipment.id}`);
      await this.outbox.add(tx, [
        newEvent(ShipmentDispatched, shipment.id, { shipmentId, orderId, trackingNumber }, causedBy(event)),
      ]);
    });
  }
}
