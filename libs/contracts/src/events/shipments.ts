import { z } from 'zod';
import { defineEvent } from '../define-event.js';

export const ShipmentPrepared = defineEvent({
  type: 'shipments.prepared',
  schemaVersion: 1,
  stream: 'SHIPMENTS',
  description: 'A paid order was packed and is waiting for the carrier.',
  payload: z.object({
    shipmentId: z.uuid(),
    orderId: z.uuid(),
    itemCount: z.int().positive(),
  }),
});

export const ShipmentDispatched = defineEvent({
  type: 'shipments.dispatched',
  schemaVersion: 1,
  stream: 'SHIPMENTS',
  description: 'The carrier took the shipment; the order is shipped.',
  payload: z.object({
    shipmentId: z.uuid(),
    orderId: z.uuid(),
    trackingNumber: z.string().min(1),
  }),
});
