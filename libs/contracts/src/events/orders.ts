import { z } from 'zod';
import { byOrder, defineEvent } from '../define-event.js';
import { orderStateSchema } from '../order-state.js';

const cents = z.int().nonnegative();

export const orderLineSchema = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.int().positive(),
  unitPriceCents: cents,
});

/**
 * Who receives an order's parcel and where, as the customer gave it at
 * checkout. Added to orders.created within v1 as an optional field
 * (VERSIONING.md rule 1): events written before it, and producers that do not
 * send it, stay valid. The bounds are orders-api's (its request schema checks
 * the finer rules: the e-mail's shape, the postal code's alphabet).
 */
export const orderShippingSchema = z.object({
  name: z.string().min(1).max(100),
  email: z.string().min(1).max(254).optional(),
  address: z.object({
    line1: z.string().min(1).max(100),
    line2: z.string().min(1).max(100).optional(),
    city: z.string().min(1).max(100),
    postalCode: z.string().min(1).max(16),
    /** ISO 3166-1 alpha-2, in capitals. */
    country: z.string().length(2),
  }),
});

export const OrderCreated = defineEvent({
  type: 'orders.created',
  schemaVersion: 1,
  stream: 'ORDERS',
  description: 'An order was accepted; inventory reserves its stock (then payments charges it).',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    customerId: z.string().min(1),
    currency: z.string().length(3),
    lines: z.array(orderLineSchema).min(1),
    totalCents: cents,
    /**
     * Absent when the customer gave none. No consumer acts on it yet: its
     * readers (inventory, analytics) ignore it, and shipments, which does
     * not read orders.created, keeps preparing parcels without it (the
     * carrier hand-off is simulated); it is there for the step that will
     * print labels.
     */
    shipping: orderShippingSchema.optional(),
  }),
});

export const OrderCancelled = defineEvent({
  type: 'orders.cancelled',
  schemaVersion: 1,
  stream: 'ORDERS',
  description:
    'The customer asked to cancel the order (it is CANCELLING); shipments stops the parcel, then payments refunds or voids.',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    reason: z.string().min(1),
  }),
});

export const OrderDispatchRequested = defineEvent({
  type: 'orders.dispatch-requested',
  schemaVersion: 1,
  stream: 'ORDERS',
  description:
    'An operator handed a prepared order to the carrier by hand (POST /api/v1/orders/{id}/ship); shipments dispatches its ' +
    'shipment with this tracking number, as shipments.dispatched.',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    trackingNumber: z.string().min(1),
    /** The carrier the operator named; shipments records MANUAL when none was. */
    carrier: z.string().min(1).optional(),
  }),
});

export const OrderStateChanged = defineEvent({
  type: 'orders.state-changed',
  schemaVersion: 1,
  stream: 'ORDERS',
  description:
    'The order moved from one state to another. No longer emitted: the order_state KV bucket, written by the relay with each ' +
    'change, replaced it. Kept so that messages still in the stream decode (libs/contracts/VERSIONING.md).',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    customerId: z.string().min(1),
    from: orderStateSchema.nullable(),
    to: orderStateSchema,
    /** The order's version after the change. */
    version: z.int().positive(),
    reason: z.string().nullable(),
  }),
});
