import { createHash } from 'node:crypto';

/** The carrier a dispatched parcel goes with, and its tracking number there. */
export interface CarrierHandOff {
  carrier: string;
  trackingNumber: string;
}

/** Tracking-number formats of a few real carriers: a prefix, then digits or capitals drawn from the hash. */
const CARRIERS: ReadonlyArray<{ name: string; prefix: string; length: number; alphabet: string }> = [
  { name: 'DHL', prefix: 'JD', length: 18, alphabet: '0123456789' },
  { name: 'UPS', prefix: '1Z', length: 16, alphabet: '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ' },
  { name: 'DPD', prefix: '', length: 14, alphabet: '0123456789' },
  { name: 'PostNL', prefix: '3S', length: 13, alphabet: '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ' },
];

/**
 * A stand-in for a carrier's booking API, seeded like the payment gateway:
 * the same seed and shipment always get the same carrier and tracking
 * number, so a redelivered dispatch books the same parcel again instead of a
 * second one, and a demo run can be repeated.
 */
export class MockCarrier {
  constructor(private readonly seed: string) {}

  book(shipmentId: string): CarrierHandOff {
    const digest = createHash('sha256').update(`${this.seed}:${shipmentId}`).digest();
    const carrier = CARRIERS[digest[0]! % CARRIERS.length]!;
    let trackingNumber = carrier.prefix;
    for (let i = 0; i < carrier.length; i++) trackingNumber += carrier.alphabet[digest[1 + i]! % carrier.alphabet.length];
    return { carrier: carrier.name, trackingNumber };
  }
}

/** The carrier recorded for a manual dispatch whose operator named none. */
export const MANUAL_CARRIER = 'MANUAL';
