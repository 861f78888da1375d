import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, PaymentSucceeded, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { ShipmentStatus } from '#database';
import type { JetStreamContext } from '#jetstream';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome } from '#messaging';
import { insertShipmentIfNone } from '../shipment-rows.js';

export const WAREHOUSES = Symbol('WAREHOUSES');
export const PACKING_DELAY_MS = Symbol('PACKING_DELAY_MS');

/**
 * Opens one shipment per paid order and announces it as prepared. An order
 * cancelled first has a CANCELLED row already (CancelShipmentService), and
 * nothing is prepared for it.
 */
@Injectable()
export class PrepareShipmentService {
  constructor(
    private readonly idempotent: IdempotentConsumer,
    private readonly outbox: OutboxWriter,
    @Inject(WAREHOUSES) private readonly warehouses: readonly string[],
    @Inject(PACKING_DELAY_MS) private readonly packingDelayMs: number,
  ) {}

  async prepare(event: EnvelopeOf<typeof PaymentSucceeded>, delivery: Pick<JetStreamContext, 'keepAlive'>): Promise<ApplyOutcome> {
    // Packing. The transport runs one order's events one after another, so an
    // orders.cancelled arriving now waits, then finds the PREPARED shipment and
    // stops it before shipments.prepared (published at commit) reaches dispatch.
    if (this.packingDelayMs > 0) await delivery.keepAlive(sleep(this.packingDelayMs));
    const { orderId, paymentId } = event.payload;
    return this.idempotent.apply(Consumers.shipmentsOnPaymentSucceeded.durable, event, async (tx) => {
      // The unique order id makes this the only shipment, whatever else was
      // redelivered; an order cancelled first has its CANCELLED row already.
      const shipment = await insertShipmentIfNone(tx, {
        id: uuidv7(),
        orderId,
        paymentId,
        status: ShipmentStatus.PREPARED,
        warehouse: this.pickWarehouse(orderId),
      });
      if (!shipment) return;
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
