import { describe, it, expect } from '@jest/globals';
import { sustainedRate } from './pipeline-facts.js';

describe('sustainedRate', () => {
  it('compares the finishing rate of the first and the last tenth of the orders', () => {
    // 1,000 orders: the first 500 one every 10 ms (100/s), the rest one every 20 ms (50/s).
    const times = Array.from({ length: 1_000 }, (_, i) => (i < 500 ? i * 10 : 5_000 + (i - 500) * 20));
    expect(sustainedRate(times)).toEqual({ firstTenthPerSecond: 100, lastTenthPerSecond: 50, ratio: 0.5 });
  });

  it('does not depend on the order the times come in', () => {
    const times = Array.from({ length: 200 }, (_, i) => i * 10);
    expect(sustainedRate([...times].reverse())).toEqual(sustainedRate(times));
  });

  it('says nothing for fewer than 100 orders', () => {
    expect(sustainedRate([1, 2, 3])).toBeNull();
  });
});
