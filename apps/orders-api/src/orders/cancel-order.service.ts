import { Injectable } from '@nestjs/common';
import { OrderState } from '#contracts';
import { UnitsOfWork, causedByRequest } from '#messaging';
import { ApplyOrderEventService } from './events/apply-order-event.service.js';
import type { OrderViewDto } from './http/order-view.dto.js';
import { orderViewsById } from './order-views.js';

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
}

export interface CancelResult {
  order: OrderViewDto;
  /** False when the order was already cancelling or cancelled: a retried request changes nothing. */
  accepted: boolean;
}

/** States in which a cancel request has already been made; asking again is answered, not refused. */
const ALREADY_CANCELLED: readonly OrderState[] = [OrderState.CANCELLING, OrderState.CANCELLED];

/**
 * The customer asks to cancel an order that has not shipped. The order
 * becomes CANCELLING and orders.cancelled goes out; shipments and payments
 * settle it (see the state machine) and it ends CANCELLED, or SHIPPED when the
 * carrier already had it.
 */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly unitsOfWork: UnitsOfWork,
    private readonly events: ApplyOrderEventService,
  ) {}

  cancel(orderId: string, reason: string | undefined, correlationId?: string): Promise<CancelResult> {
    // A lost version race (a payment event updated the order first) runs the unit again: re-read and decide again.
    return this.unitsOfWork.run(async (uow) => {
        // Once CANCELLING, a parked shipments.dispatched (it overtook
        // shipments.prepared) is legal and ends the cancellation as SHIPPED;
        // parked happy-path events are dropped as overtaken.
        const decision = await this.events.transitionLocked(uow, {
          orderId,
          trigger: 'CANCEL',
          cause: causedByRequest(correlationId),
          reason: reason ?? 'cancelled by customer',
        });
        if (decision.kind !== 'apply' && !ALREADY_CANCELLED.includes(decision.from)) {
          throw new IllegalTransitionError(`order ${orderId} cannot be cancelled in state ${decision.from}`);
        }
        return { order: (await uow.read(orderViewsById, orderId))!, accepted: decision.kind === 'apply' };
    });
  }
}
