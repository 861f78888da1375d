import { describe, it, expect } from '@jest/globals';
import { RateWindow } from './rate-window.js';

const sample = (atMs: number, counts: Record<string, number>) => ({ atMs, counts: new Map(Object.entries(counts)) });

describe('RateWindow', () => {
  it('has no rate before two samples span some time, but knows the count', () => {
    const window = new RateWindow(10_000);
    expect(window.rate('orders.created')).toEqual({ perSecond: 0, total: 0 });
    window.add(sample(0, { 'orders.created': 7 }));
    expect(window.rate('orders.created')).toEqual({ perSecond: 0, total: 7 });
    expect(window.spanSeconds()).toBe(0);
  });

  it('divides the change over the window by its span', () => {
    const window = new RateWindow(10_000);
    window.add(sample(0, { 'orders.created': 10 }));
    window.add(sample(2_000, { 'orders.created': 30 }));
    window.add(sample(4_000, { 'orders.created': 50 }));
    expect(window.rate('orders.created')).toEqual({ perSecond: 10, total: 50 });
    expect(window.spanSeconds()).toBe(4);
  });

  it('slides: samples older than the window stop counting, except the one it starts from', () => {
    const window = new RateWindow(10_000);
    window.add(sample(0, { s: 0 }));
    window.add(sample(5_000, { s: 1_000 }));
    window.add(sample(10_000, { s: 1_000 }));
    window.add(sample(15_000, { s: 1_000 }));
    // The burst between 0 and 5 s is out of the window that starts at 5 s.
    expect(window.rate('s')).toEqual({ perSecond: 0, total: 1_000 });
    expect(window.spanSeconds()).toBe(10);
    // The window now starts at 7 s: it is measured from the sample at 5 s, the last one before it.
    window.add(sample(17_000, { s: 1_024 }));
    expect(window.spanSeconds()).toBe(12);
    expect(window.rate('s')).toEqual({ perSecond: 2, total: 1_024 });
  });

  it('counts a subject first seen inside the window from zero', () => {
    const window = new RateWindow(10_000);
    window.add(sample(0, {}));
    window.add(sample(4_000, { 'payments.succeeded': 8 }));
    expect(window.rate('payments.succeeded')).toEqual({ perSecond: 2, total: 8 });
  });

  it('never reports a negative rate when a count goes down (purge, expiry)', () => {
    const window = new RateWindow(10_000);
    window.add(sample(0, { s: 100 }));
    window.add(sample(2_000, { s: 40 }));
    expect(window.rate('s')).toEqual({ perSecond: 0, total: 40 });
  });
});
