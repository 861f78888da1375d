import { describe, it, expect } from '@jest/globals';
import { sustainedRate } from './pipeline-facts.js';

describe('sustainedRate', () => {
  it('compares the finishing rate in the first and the last tenth of the placing window', () => {
    // Placing from 0 to 20 s; finishes at 100/s for the first 10 s, 50/s for the next 10 s, then a fast drain after the window.
    const times = [
      ...Array.from({ length: 1_000 }, (_, i) => i * 10),
      ...Array.from({ length: 500 }, (_, i) => 10_000 + i * 20),
      ...Array.from({ length: 500 }, (_, i) => 20_000 + i),
    ];
    expect(sustainedRate(times, 0, 20_000)).toEqual({ firstTenthPerSecond: 100, lastTenthPerSecond: 50, ratio: 0.5 });
  });

  it('says nothing for fewer than 100 orders or a window under 10 s', () => {
    expect(sustainedRate([1, 2, 3], 0, 60_000)).toBeNull();
    expect(sustainedRate(Array.from({ length: 500 }, (_, i) => i), 0, 5_000)).toBeNull();
  });
});
