import { OrderState, TERMINAL_ORDER_STATES } from '#contracts';

/** What can move an order: an event from another service, or the customer. */
export type OrderTrigger =
  | 'INVENTORY_RESERVED'
  | 'INVENTORY_REJECTED'
  | 'PAYMENT_INITIATED'
  | 'PAYMENT_SUCCEEDED'
  | 'PAYMENT_FAILED'
  | 'PAYMENT_REFUNDED'
  | 'PAYMENT_VOIDED'
  | 'SHIPMENT_PREPARED'
  | 'SHIPMENT_DISPATCHED'
  | 'CANCEL';

interface Transition {
  from: readonly OrderState[];
  to: OrderState;
}

/**
 * The whole machine. Anything not listed here is illegal.
 *
 * A cancellation is a request until the services that may have acted on the
 * order settle it: the order waits in CANCELLING, whatever state it was
 * cancelled from, because orders-api's view may lag behind theirs (a charge
 * can be captured, a parcel handed to the carrier, before orders-api hears of
 * it). shipments decides first (it stops the parcel, or refuses because the
 * carrier has it: then shipments.dispatched makes the order SHIPPED and
 * nothing is refunded); payments then refunds a capture (payments.refunded) or
 * confirms that nothing was taken (payments.voided), and the order is
 * CANCELLED. Once SHIPPED, an order cannot be cancelled.
 *
 * Stock comes first: inventory reserves every line (RESERVED, then payments
 * charges) or rejects the order (REJECTED, an end: nothing was held or
 * charged). A rejection that arrives after the customer cancelled is news
 * the cancellation overtook: the cancellation still settles it (CANCELLED).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderTrigger, Transition>> = {
  INVENTORY_RESERVED: { from: [OrderState.CREATED], to: OrderState.RESERVED },
  INVENTORY_REJECTED: { from: [OrderState.CREATED], to: OrderState.REJECTED },
  PAYMENT_INITIATED: { from: [OrderState.RESERVED], to: OrderState.PAYMENT_PENDING },
  PAYMENT_SUCCEEDED: { from: [OrderState.PAYMENT_PENDING], to: OrderState.PAID },
  PAYMENT_FAILED: { from: [OrderState.PAYMENT_PENDING], to: OrderState.FAILED },
  SHIPMENT_PREPARED: { from: [OrderState.PAID], to: OrderState.SHIPMENT_PREPARED },
  SHIPMENT_DISPATCHED: { from: [OrderState.SHIPMENT_PREPARED, OrderState.CANCELLING], to: OrderState.SHIPPED },
  CANCEL: {
    from: [OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.PAID, OrderState.SHIPMENT_PREPARED],
    to: OrderState.CANCELLING,
  },
  PAYMENT_REFUNDED: { from: [OrderState.CANCELLING], to: OrderState.CANCELLED },
  PAYMENT_VOIDED: { from: [OrderState.CANCELLING], to: OrderState.CANCELLED },
};

/** Position on the happy path; used to tell an early event from an illegal one. */
const HAPPY_PATH: readonly OrderState[] = [
  OrderState.CREATED,
  OrderState.RESERVED,
  OrderState.PAYMENT_PENDING,
  OrderState.PAID,
  OrderState.SHIPMENT_PREPARED,
  OrderState.SHIPPED,
];

export type TransitionDecision =
  | { kind: 'apply'; from: OrderState; to: OrderState }
  /** The event overtook the one before it (e.g. paid before payment-pending): try again later. */
  | { kind: 'early'; from: OrderState; expected: readonly OrderState[] }
  /** Never legal from here (e.g. paid after cancelled, or cancelling a shipped order). */
  | { kind: 'illegal'; from: OrderState; reason: string };

export function decideTransition(current: OrderState, trigger: OrderTrigger): TransitionDecision {
  const transition = ORDER_TRANSITIONS[trigger];
  if (transition.from.includes(current)) return { kind: 'apply', from: current, to: transition.to };
  if (trigger !== 'CANCEL' && isBehind(current, transition.from)) {
    return { kind: 'early', from: current, expected: transition.from };
  }
  return {
    kind: 'illegal',
    from: current,
    reason: `${trigger} is not allowed in state ${current} (allowed from ${transition.from.join(', ')})`,
  };
}

function isBehind(current: OrderState, expected: readonly OrderState[]): boolean {
  if (TERMINAL_ORDER_STATES.includes(current)) return false;
  // While CANCELLING, the happy path's events (initiated, paid, prepared) are
  // news the cancellation has overtaken: ignored, never parked.
  if (current === OrderState.CANCELLING) return false;
  // Refunded and voided follow only a cancellation, which orders-api itself
  // records first: they are never early, so never parked for good.
  const onPath = expected.filter((state) => HAPPY_PATH.includes(state));
  const position = HAPPY_PATH.indexOf(current);
  return onPath.length > 0 && onPath.every((state) => HAPPY_PATH.indexOf(state) > position);
}
