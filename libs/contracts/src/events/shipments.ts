import { z } from 'zod';
import { byOrder, defineEvent } from '../define-event.js';

export const ShipmentPrepared = defineEvent({
  type: 'shipments.prepared',
  schemaVersion: 1,
  stream: 'SHIPMENTS',
  description: 'A paid order was packed and is waiting for the carrier.',
  orderingKey: byOrder,
  payload: z.object({
    shipmentId: z.uuid(),
    orderId: z.uuid(),
    paymentId: z.uuid(),
    /** Where the parcel waits for the carrier. */
    warehouse: z.string().min(1),
  }),
});

export const ShipmentDispatched = defineEvent({
  type: 'shipments.dispatched',
  schemaVersion: 1,
  stream: 'SHIPMENTS',
  description: 'The carrier took the shipment; the order is shipped.',
  orderingKey: byOrder,
  payload: z.object({
    shipmentId: z.uuid(),
    orderId: z.uuid(),
    trackingNumber: z.string().min(1),
    /** Who carries it (the mock carrier's pick, or the one an operator named). Added within v1: absent from older events. */
    carrier: z.string().min(1).optional(),
  }),
});

export const ShipmentCancelled = defineEvent({
  type: 'shipments.cancelled',
  schemaVersion: 1,
  stream: 'SHIPMENTS',
  description:
    'A cancelled order will not ship (its shipment was not dispatched yet, or there was none); payments refunds or voids it. ' +
    'Not emitted when the carrier already had the parcel: the order then ends SHIPPED.',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    /** Null when the order had no shipment yet: the cancellation stops one from being prepared. */
    shipmentId: z.uuid().nullable(),
  }),
});
