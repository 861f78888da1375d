import { describe, it, expect } from '@jest/globals';
import { retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  it('doubles the ceiling per delivery and stays within [ceiling/2, ceiling]', () => {
    expect(retryDelayMs(1, 100, 10_000, () => 0)).toBe(50);
    expect(retryDelayMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(retryDelayMs(3, 100, 10_000, () => 1)).toBe(400);
    expect(retryDelayMs(3, 100, 10_000, () => 0)).toBe(200);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelayMs(30, 100, 5_000, () => 1)).toBe(5_000);
  });
});
