import { OrderState, TERMINAL_ORDER_STATES } from '#contracts';

/** What can move an order: an event from another service, or the customer. */
export type OrderTrigger =
  | 'PAYMENT_INITIATED'
  | 'PAYMENT_SUCCEEDED'
  | 'PAYMENT_FAILED'
  | 'SHIPMENT_PREPARED'
  | 'SHIPMENT_DISPATCHED'
  | 'CANCEL';

interface Transition {
  from: readonly OrderState[];
  to: OrderState;
}

/** The whole machine. Anything not listed here is illegal. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderTrigger, Transition>> = {
  PAYMENT_INITIATED: { from: [OrderState.CREATED], to: OrderState.PAYMENT_PENDING },
  PAYMENT_SUCCEEDED: { from: [OrderState.PAYMENT_PENDING], to: OrderState.PAID },
  PAYMENT_FAILED: { from: [OrderState.PAYMENT_PENDING], to: OrderState.FAILED },
  SHIPMENT_PREPARED: { from: [OrderState.PAID], to: OrderState.SHIPMENT_PREPARED },
  SHIPMENT_DISPATCHED: { from: [OrderState.SHIPMENT_PREPARED], to: OrderState.SHIPPED },
  CANCEL: { from: [OrderState.CREATED, OrderState.PAYMENT_PENDING], to: OrderState.CANCELLED },
};

/** Position on the happy path; used to tell an early event from an illegal one. */
const HAPPY_PATH: readonly OrderState[] = [
  OrderState.CREATED,
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
  const position = HAPPY_PATH.indexOf(current);
  return expected.every((state) => HAPPY_PATH.indexOf(state) > position);
}
