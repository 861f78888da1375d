import { describe, it, expect } from '@jest/globals';
import { MAX_ORDER_TOTAL_CENTS, OrderTotalTooLargeError, priceLines } from './order-pricing.js';

describe('priceLines', () => {
  it('multiplies quantity by unit price per line and sums the lines', () => {
    const { lines, totalCents } = priceLines([
      { sku: 'A', quantity: 3, unitPriceCents: 250 },
      { sku: 'B', quantity: 1, unitPriceCents: 1999 },
    ]);
    expect(lines.map((l) => l.lineTotalCents)).toEqual([750, 1999]);
    expect(totalCents).toBe(2749);
  });

  it('accepts free items', () => {
    expect(priceLines([{ sku: 'GIFT', quantity: 2, unitPriceCents: 0 }]).totalCents).toBe(0);
  });

  it('refuses a total the store cannot represent', () => {
    expect(() => priceLines([{ sku: 'A', quantity: 2, unitPriceCents: MAX_ORDER_TOTAL_CENTS }])).toThrow(
      OrderTotalTooLargeError,
    );
  });
});
