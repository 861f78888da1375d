import { z } from 'zod';

/** The states of an order; orders-api owns the machine that moves between them. */
export const OrderState = {
  CREATED: 'CREATED',
  /** inventory holds every line in stock; payments charges next. */
  RESERVED: 'RESERVED',
  PAYMENT_PENDING: 'PAYMENT_PENDING',
  PAID: 'PAID',
  SHIPMENT_PREPARED: 'SHIPMENT_PREPARED',
  SHIPPED: 'SHIPPED',
  /**
   * The customer asked to cancel; the order waits for the other services to
   * settle it: CANCELLED once the money is refunded or was never taken
   * (payments.refunded / payments.voided), SHIPPED if the carrier already had
   * the parcel (shipments refuses the cancellation, nothing is refunded).
   */
  CANCELLING: 'CANCELLING',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  /** Some line was short of stock (inventory.rejected): nothing was held or charged. */
  REJECTED: 'REJECTED',
} as const;

export type OrderState = (typeof OrderState)[keyof typeof OrderState];

export const orderStateSchema = z.enum(Object.values(OrderState) as [OrderState, ...OrderState[]]);

/** States an order never leaves. */
export const TERMINAL_ORDER_STATES: readonly OrderState[] = [
  OrderState.SHIPPED,
  OrderState.FAILED,
  OrderState.CANCELLED,
  OrderState.REJECTED,
];
