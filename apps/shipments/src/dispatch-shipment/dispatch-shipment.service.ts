import { Inject, Injectable, Logger } from '@nestjs/common';
import { Consumers, ShipmentDispatched, type EnvelopeOf, type OrderDispatchRequested, type ShipmentPrepared } from '#contracts';
import { ShipmentStatus, assertOneRowUpdated, type Shipment } from '#database';
import { IdempotentBatchConsumer, causedBy, newEvent, type BatchedEvent, type EventOutcome, type UnitOfWork } from '#messaging';
import { MANUAL_CARRIER, MockCarrier, type CarrierHandOff } from '../carrier/mock-carrier.js';
import { changeShipments, shipmentsById, shipmentsOfOrders } from '../shipment-rows.js';

/** How prepared shipments reach the carrier (SHIPMENT_DISPATCH). */
export const DISPATCH_MODE = Symbol('DISPATCH_MODE');
export type DispatchMode = 'automatic' | 'manual';

/**
 * Hands prepared shipments to the carrier, a batch at a time, which moves the
 * order to SHIPPED. A separate step (and consumer) from preparing, as a real
 * carrier hand-off is. Automatic dispatch books the mock carrier as soon as
 * the shipment is prepared; manual dispatch waits for an operator's
 * orders.dispatch-requested with the tracking number of the parcel handed
 * over. Either way a shipment is dispatched once, and one cancelled meanwhile
 * (see CancelShipmentService) is not dispatched.
 */
@Injectable()
export class DispatchShipmentService {
  private readonly logger = new Logger('DispatchShipment');

  constructor(
    private readonly batches: IdempotentBatchConsumer,
    private readonly carrier: MockCarrier,
    @Inject(DISPATCH_MODE) private readonly mode: DispatchMode,
  ) {}

  /** shipments.prepared: the automatic hand-off (in manual mode, only recorded). */
  dispatchPrepared(events: ReadonlyArray<BatchedEvent<EnvelopeOf<typeof ShipmentPrepared>>>): Promise<EventOutcome[]> {
    return this.batches.applyBatch(Consumers.shipmentsOnShipmentPrepared.durable, events, async (event, uow) => {
      if (this.mode === 'manual') return;
      const { shipmentId } = event.payload;
      const shipment = await uow.read(shipmentsById, shipmentId);
      if (!shipment) throw new Error(`shipment ${shipmentId} not found`);
      await this.dispatch(uow, shipment, this.carrier.book(shipment.id), event);
    });
  }

  /** orders.dispatch-requested: an operator's hand-off, with the tracking number they were given. */
  dispatchRequested(events: ReadonlyArray<BatchedEvent<EnvelopeOf<typeof OrderDispatchRequested>>>): Promise<EventOutcome[]> {
    return this.batches.applyBatch(Consumers.shipmentsOnDispatchRequested.durable, events, async (event, uow) => {
      const { orderId, trackingNumber, carrier } = event.payload;
      // orders-api asks only for orders whose shipment is prepared, so there is one.
      const shipment = await uow.read(shipmentsOfOrders, orderId);
      if (!shipment) throw new Error(`no shipment for order ${orderId}`);
      await this.dispatch(uow, shipment, { carrier: carrier ?? MANUAL_CARRIER, trackingNumber }, event);
    });
  }

  /** Moves a prepared shipment to DISPATCHED and emits shipments.dispatched; any other status is left as it is. */
  private async dispatch(uow: UnitOfWork, shipment: Shipment, handOff: CarrierHandOff, cause: Parameters<typeof causedBy>[0]): Promise<void> {
    if (shipment.status !== ShipmentStatus.PREPARED) {
      uow.afterCommit(() => this.logger.log(`DISPATCH_SKIPPED shipment=${shipment.id} order=${shipment.orderId} is ${shipment.status}`));
      return;
    }
    const changed = await uow.write(changeShipments, { id: shipment.id, version: shipment.version, status: ShipmentStatus.DISPATCHED, ...handOff });
    assertOneRowUpdated(changed ? 1 : 0, `shipment ${shipment.id}`);
    uow.emit([newEvent(ShipmentDispatched, shipment.id, { shipmentId: shipment.id, orderId: shipment.orderId, ...handOff }, causedBy(cause))]);
  }
}
