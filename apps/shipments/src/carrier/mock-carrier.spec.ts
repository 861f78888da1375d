import { describe, it, expect } from '@jest/globals';
import { MockCarrier } from './mock-carrier.js';

const ids = Array.from({ length: 400 }, (_, i) => `0193${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`);

describe('MockCarrier', () => {
  it('books the same carrier and tracking number for the same seed and shipment', () => {
    const [a, b] = [new MockCarrier('s'), new MockCarrier('s')];
    for (const id of ids.slice(0, 20)) expect(a.book(id)).toEqual(b.book(id));
    expect(new MockCarrier('other').book(ids[0]!)).not.toEqual(a.book(ids[0]!));
  });

  it('spreads parcels over its carriers, each with its own number format, never twice the same number', () => {
    const booked = ids.map((id) => new MockCarrier('spread').book(id));
    const formats: Record<string, RegExp> = { DHL: /^JD\d{18}$/, UPS: /^1Z[0-9A-Z]{16}$/, DPD: /^\d{14}$/, PostNL: /^3S[0-9A-Z]{13}$/ };
    for (const { carrier, trackingNumber } of booked) expect(trackingNumber).toMatch(formats[carrier]!);
    expect(new Set(booked.map((b) => b.carrier)).size).toBe(4);
    expect(new Set(booked.map((b) => b.trackingNumber)).size).toBe(booked.length);
  });
});
