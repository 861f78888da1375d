import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, PaymentSucceeded, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { ShipmentStatus } from '#database';
import type { DeliveredEvent } from '#jetstream';
import { IdempotentBatchConsumer, causedBy, newEvent, type EventOutcome } from '#messaging';
import { insertShipmentsIfNone } from '../shipment-rows.js';

export const WAREHOUSES = Symbol('WAREHOUSES');
export const PACKING_DELAY_MS = Symbol('PACKING_DELAY_MS');

type PaymentSucceededEvent = EnvelopeOf<typeof PaymentSucceeded>;

/**
 * Opens one shipment per paid order and announces it as prepared, a batch of
 * orders at a time. An order cancelled first has a CANCELLED row already
 * (CancelShipmentService), and nothing is prepared for it.
 */
@Injectable()
export class PrepareShipmentService {
  constructor(
    private readonly batches: IdempotentBatchConsumer,
    @Inject(WAREHOUSES) private readonly warehouses: readonly string[],
    @Inject(PACKING_DELAY_MS) private readonly packingDelayMs: number,
  ) {}

  async prepare(events: ReadonlyArray<Pick<DeliveredEvent<PaymentSucceededEvent>, 'envelope' | 'delivery' | 'inTrace'>>): Promise<EventOutcome[]> {
    // Packing, the batch's parcels side by side. The transport runs one
    // order's events one after another, so an orders.cancelled arriving now
    // waits, then finds the PREPARED shipment and stops it before
    // shipments.prepared (published at commit) reaches dispatch.
    if (this.packingDelayMs > 0) {
      const packing = sleep(this.packingDelayMs);
      await Promise.all(events.map(({ delivery }) => delivery.keepAlive(packing)));
    }
    return this.batches.applyBatch(Consumers.shipmentsOnPaymentSucceeded.durable, events, async (event, uow) => {
      const { orderId, paymentId } = event.payload;
      // The unique order id makes this the only shipment, whatever else was
      // redelivered; an order cancelled first has its CANCELLED row already.
      const shipment = await uow.write(insertShipmentsIfNone, {
        id: uuidv7(),
        orderId,
        paymentId,
        status: ShipmentStatus.PREPARED,
        warehouse: this.pickWarehouse(orderId),
      });
      if (!shipment) return;
      uow.emit([
        newEvent(ShipmentPrepared, shipment.id, { shipmentId: shipment.id, orderId, paymentId, warehouse: shipment.warehouse }, causedBy(event)),
      ]);
    });
  }

  /** Stable per order, so a replayed run packs every order where it did before. */
  private pickWarehouse(orderId: string): string {
    const index = createHash('sha256').update(orderId).digest().readUInt32BE(0) % this.warehouses.length;
    return this.warehouses[index];
  }
}
