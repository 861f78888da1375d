import { z } from 'zod';
import { byOrder, defineEvent } from '../define-event.js';

const cents = z.int().nonnegative();

export const PaymentInitiated = defineEvent({
  type: 'payments.initiated',
  schemaVersion: 1,
  stream: 'PAYMENTS',
  description: 'A payment was opened for an order and is being charged.',
  orderingKey: byOrder,
  payload: z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amountCents: cents,
  }),
});

export const PaymentSucceeded = defineEvent({
  type: 'payments.succeeded',
  schemaVersion: 1,
  stream: 'PAYMENTS',
  description: 'The gateway captured the amount; shipments prepares the order.',
  orderingKey: byOrder,
  payload: z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amountCents: cents,
    gatewayReference: z.string().min(1),
  }),
});

export const PaymentFailed = defineEvent({
  type: 'payments.failed',
  schemaVersion: 1,
  stream: 'PAYMENTS',
  description: 'The gateway declined the charge (a business outcome, not an error).',
  orderingKey: byOrder,
  payload: z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amountCents: cents,
    reason: z.string().min(1),
  }),
});

export const PaymentRefunded = defineEvent({
  type: 'payments.refunded',
  schemaVersion: 1,
  stream: 'PAYMENTS',
  description: 'A captured payment of a cancelled order was refunded in full; the order is CANCELLED.',
  orderingKey: byOrder,
  payload: z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amountCents: cents,
    /** The capture that was refunded. */
    gatewayReference: z.string().min(1),
    refundReference: z.string().min(1),
  }),
});

export const PaymentVoided = defineEvent({
  type: 'payments.voided',
  schemaVersion: 1,
  stream: 'PAYMENTS',
  description:
    'A cancelled order was never charged (cancelled before the charge, or the charge was declined or failed): nothing to refund; the order is CANCELLED.',
  orderingKey: byOrder,
  payload: z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    /** What the payment was when the cancellation reached payments: CANCELLED (never charged), DECLINED or FAILED. */
    paymentStatus: z.string().min(1),
  }),
});
