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
