import { describe, it, expect } from '@jest/globals';
import { firstToLastRate, median, pairedRatio, percentile, ratePerSecond, ratio, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks an observed sample', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 90)).toBe(90);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([1, 2, 3], 50)).toBe(2);
  });

  it('handles tiny and empty inputs', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('never reports a p99 below the worst 1% when there are few samples', () => {
    // 10 samples: p99 is the maximum, not an interpolation below it.
    expect(percentile([1, 1, 1, 1, 1, 1, 1, 1, 1, 500], 99)).toBe(500);
  });
});

describe('summarize', () => {
  it('sorts numerically, not as strings', () => {
    const summary = summarize([100, 9, 20, 3]);
    expect(summary).toMatchObject({ count: 4, p50: 9, max: 100, mean: 33 });
  });

  it('does not modify its input', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('rates and ratios', () => {
  it('computes per-second rates from milliseconds', () => {
    expect(ratePerSecond(1_000, 500)).toBe(2_000);
    expect(ratePerSecond(0, 500)).toBe(0);
    expect(ratePerSecond(10, 0)).toBe(0);
  });

  it('counts the intervals between first and last message for a first-to-last rate', () => {
    expect(firstToLastRate(1_001, 500)).toBe(2_000);
    expect(firstToLastRate(1, 0)).toBe(0);
  });

  it('takes the median of repeated runs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('takes the median of paired ratios, so one slow round does not skew both sides', () => {
    expect(pairedRatio([[8, 10], [9, 10], [1, 10]])).toBe(0.8);
    expect(pairedRatio([[1, 0]])).toBeUndefined();
  });

  it('leaves a ratio undefined when there is nothing to compare with', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeUndefined();
  });
});
