import { ShipmentDispatched, type EventEnvelope, type PayloadOf } from '#contracts';
import type { ShippingDetails } from '../order-rows.js';

/**
 * What an event says of the order's parcel: shipments.dispatched names the
 * carrier and tracking number, and its time is when the order shipped. Read
 * from the event itself, so a parked dispatch applied later records the same.
 */
export function shippingOf(event: EventEnvelope<unknown>): ShippingDetails | null {
  if (event.type !== ShipmentDispatched.type) return null;
  const payload = event.payload as PayloadOf<typeof ShipmentDispatched>;
  return { carrier: payload.carrier ?? null, trackingNumber: payload.trackingNumber, shippedAt: event.occurredAt };
}
