import { Injectable } from '@nestjs/common';
import { OrderDispatchRequested, OrderState } from '#contracts';
import { assertOneRowUpdated } from '#database';
import { UnitsOfWork, causedByRequest, newEvent } from '#messaging';
import { IllegalTransitionError } from './cancel-order.service.js';
import type { OrderViewDto } from './http/order-view.dto.js';
import { lockOrdersForDispatch, requestDispatches } from './order-rows.js';
import { OrderNotFoundError } from './order-transitions.service.js';
import { orderViewsById } from './order-views.js';
import { recordInTimeline } from './timeline/order-timeline.js';

export interface ShipRequest {
  trackingNumber: string;
  carrier?: string;
}

export interface ShipResult {
  order: OrderViewDto;
  /** False when this dispatch was asked for already (or has happened): a retried request changes nothing. */
  accepted: boolean;
}

/**
 * An operator hands a prepared order's parcel to the carrier by hand (when
 * shipments runs with SHIPMENT_DISPATCH=manual). The request travels
 * durably: recorded on the order and sent as orders.dispatch-requested
 * through the outbox in one transaction; shipments dispatches the shipment
 * and the order becomes SHIPPED on shipments.dispatched. Asking again with
 * the same tracking number is answered as it stands; another tracking
 * number, or an order that is not prepared, is refused (409).
 */
@Injectable()
export class ShipOrderService {
  constructor(private readonly unitsOfWork: UnitsOfWork) {}

  ship(orderId: string, request: ShipRequest, correlationId?: string): Promise<ShipResult> {
    return this.unitsOfWork.run(async (uow) => {
      const order = await uow.read(lockOrdersForDispatch, orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      const view = async (accepted: boolean) => ({ order: (await uow.read(orderViewsById, orderId))!, accepted });
      const asked = order.state === OrderState.SHIPPED ? order.trackingNumber : order.requestedTrackingNumber;
      if (asked !== null) {
        if (asked === request.trackingNumber) return view(false);
        throw new IllegalTransitionError(
          order.state === OrderState.SHIPPED
            ? `order ${orderId} has shipped with tracking number ${asked}`
            : `order ${orderId} is being dispatched with tracking number ${asked}`,
        );
      }
      if (order.state !== OrderState.SHIPMENT_PREPARED) {
        throw new IllegalTransitionError(`order ${orderId} cannot be shipped in state ${order.state}: only a SHIPMENT_PREPARED order can`);
      }
      assertOneRowUpdated((await uow.write(requestDispatches, { orderId, trackingNumber: request.trackingNumber })) ? 1 : 0, `order ${orderId}`);
      const payload = { orderId, trackingNumber: request.trackingNumber, ...(request.carrier ? { carrier: request.carrier } : {}) };
      const emitted = uow.emit([newEvent(OrderDispatchRequested, orderId, payload, causedByRequest(correlationId))]);
      await recordInTimeline(uow, emitted);
      return view(true);
    });
  }
}
