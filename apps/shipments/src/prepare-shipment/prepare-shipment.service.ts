import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, PaymentSucceeded, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { ShipmentStatus, type TransactionClient } from '#database';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome } from '#messaging';

export const WAREHOUSES = Symbol('WAREHOUSES');

/** Opens one shipment per paid order and announces it as prepared. */
@Injectable()
export class PrepareShipmentService {
  constructor(
    private readonly idempotent: IdempotentConsumer,
    private readonly outbox: OutboxWriter,
    @Inject(WAREHOUSES) private readonly warehouses: readonly string[],
  ) {}

  prepare(event: EnvelopeOf<typeof PaymentSucceeded>): Promise<ApplyOutcome> {
    const { orderId, paymentId } = event.payload;
    return this.idempotent.apply<TransactionClient>(Consumers.shipmentsOnPaymentSucceeded.durable, event, async (tx) => {
      // The unique order id makes this the only shipment, whatever else was redelivered.
      if (await tx.shipment.findUnique({ where: { orderId } })) return;
      const shipment = await tx.shipment.create({
        data: {
          id: uuidv7(),
          orderId,
          paymentId,
          status: ShipmentStatus.PREPARED,
          warehouse: this.pickWarehouse(orderId),
        },
      });
      await this.outbox.add(tx, [
        newEvent(
          ShipmentPrepared,
          shipment.id,
          { shipmentId: shipment.id, orderId, paymentId, warehouse: shipment.warehouse },
          causedBy(event),
        ),
      ]);
    });
  }

  /** Stable per order, so a replayed run packs every order where it did before. */
  private pickWarehouse(orderId: string): string {
    const index = createHash('sha256').update(orderId).digest().readUInt32BE(0) % this.warehouses.length;
    return this.warehouses[index];
  }
}
