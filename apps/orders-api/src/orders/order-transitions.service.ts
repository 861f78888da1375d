import { Injectable, Logger } from '@nestjs/common';
import { OrderCancelled, OrderState } from '#contracts';
import { assertOneRowUpdated } from '#database';
import { newEvent, type EventCause, type NewEvent, type UnitOfWork } from '#messaging';
import { logEvent } from '#telemetry';
import { decideTransition, type OrderTrigger, type TransitionDecision } from './domain/order-state-machine.js';
import { applyStateChanges, type OrderStateRow, type ShippingDetails } from './order-rows.js';
import { orderViewsById } from './order-views.js';
import { orderStatePut } from '../order-state-cache/order-state-cache.js';
import { recordInTimeline } from './timeline/order-timeline.js';

export class OrderNotFoundError extends Error {
  override readonly name = 'OrderNotFoundError';
  constructor(readonly orderId: string) {
    super(`order ${orderId} not found`);
  }
}

export interface TransitionRequest {
  orderId: string;
  trigger: OrderTrigger;
  cause: EventCause;
  reason?: string | null;
  /** What the event that causes the change says of the parcel (shipments.dispatched). */
  shipping?: ShippingDetails | null;
}

/** A transition's decision, and the order as it is after it (unchanged unless applied). */
export interface TransitionOutcome {
  decision: TransitionDecision;
  order: OrderStateRow;
  /** Applied, and events wait in parked_events for the order: its new state may allow them. */
  parkedEventsWaiting: boolean;
}

/**
 * Moves one order through the state machine in the caller's unit of work: a
 * version-checked update, a history row, and in the outbox the order's new
 * view for the KV mirror (plus orders.cancelled for a cancellation). Illegal
 * and early transitions change nothing. The caller holds the order's row lock
 * and passes the state it read with it.
 */
@Injectable()
export class OrderTransitionsService {
  private readonly logger = new Logger('OrderTransitions');

  async transition(uow: UnitOfWork, order: OrderStateRow, request: TransitionRequest): Promise<TransitionOutcome> {
    const decision = decideTransition(order.state, request.trigger);
    if (decision.kind !== 'apply') return { decision, order, parkedEventsWaiting: false };

    const version = order.version + 1;
    const reason = request.reason ?? null;
    const failureReason = decision.to === OrderState.FAILED || decision.to === OrderState.REJECTED ? reason : order.failureReason;
    const { changed, hasParkedEvents } = await uow.write(applyStateChanges, {
      orderId: order.id,
      expectedVersion: order.version,
      from: decision.from,
      to: decision.to,
      failureReason,
      reason,
      causationId: request.cause.causationId,
      shipping: request.shipping ?? null,
    });
    assertOneRowUpdated(changed ? 1 : 0, `order ${order.id}`);
    const events: NewEvent[] =
      request.trigger === 'CANCEL' ? [newEvent(OrderCancelled, order.id, { orderId: order.id, reason: reason ?? 'cancelled' }, request.cause)] : [];
    // Read in the transaction after the change, so the mirror holds exactly what commits.
    const view = (await uow.read(orderViewsById, order.id))!;
    await recordInTimeline(uow, uow.emit(events, [orderStatePut(view)]));
    uow.afterCommit(() =>
      logEvent(this.logger, 'STATE_CHANGE', { orderId: order.id, from: decision.from, to: decision.to, version }, `order ${order.id} ${decision.from} -> ${decision.to} v${version}`),
    );
    return { decision, order: { ...order, state: decision.to, version, failureReason }, parkedEventsWaiting: hasParkedEvents };
  }
}
