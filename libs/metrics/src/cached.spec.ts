import { describe, it, expect, beforeEach, afterEach, jest } from '@jest/globals';
import { cachedFor, withTimeout } from './cached.js';

describe('cachedFor', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shares one measurement within the time to live, and measures again after it', async () => {
    let calls = 0;
    const measure = cachedFor(1_000, async () => ++calls);
    expect(await Promise.all([measure(), measure()])).toEqual([1, 1]);
    jest.advanceTimersByTime(999);
    expect(await measure()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(await measure()).toBe(2);
  });

  it('does not keep a failure: the next call tries again', async () => {
    let calls = 0;
    const measure = cachedFor(1_000, async () => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return calls;
    });
    await expect(measure()).rejects.toThrow('down');
    expect(await measure()).toBe(2);
  });
});

describe('withTimeout', () => {
  it('rejects naming what did not answer', async () => {
    jest.useFakeTimers();
    const pending = withTimeout(new Promise(() => undefined), 2_000, 'NATS');
    jest.advanceTimersByTime(2_000);
    await expect(pending).rejects.toThrow('NATS did not answer within 2000 ms');
    jest.useRealTimers();
  });

  it('passes the answer through', async () => {
    expect(await withTimeout(Promise.resolve(42), 2_000, 'NATS')).toBe(42);
  });
});
