import { describe, it, expect, jest } from '@jest/globals';
import { assertOneRowUpdated } from './assert-one-row-updated.js';
import { VersionConflictError } from './version-conflict.error.js';
import { backoffDelayMs, withVersionRetry } from './with-version-retry.js';

/** A unit of work that loses `conflicts` races, then returns `result`. */
function losesRaces(conflicts: number, result = 'done') {
  return jest.fn(async (attempt: number) => {
    if (attempt <= conflicts) throw new VersionConflictError('order o-1');
    return result;
  });
}

describe('withVersionRetry', () => {
  it('returns the first result without retrying', async () => {
    const work = losesRaces(0);
    await expect(withVersionRetry(work, { baseDelayMs: 0 })).resolves.toBe('done');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('re-runs the whole unit of work after a version conflict', async () => {
    const work = losesRaces(2);
    await expect(withVersionRetry(work, { attempts: 3, baseDelayMs: 0 })).resolves.toBe('done');
    expect(work.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
  });

  it('rethrows the conflict after the last attempt', async () => {
    const work = losesRaces(5);
    await expect(withVersionRetry(work, { attempts: 3, baseDelayMs: 0 })).rejects.toBeInstanceOf(VersionConflictError);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('does not retry other errors', async () => {
    const failure = new Error('connection lost');
    const work = jest.fn(async () => {
      throw failure;
    });
    await expect(withVersionRetry(work, { attempts: 5, baseDelayMs: 0 })).rejects.toBe(failure);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('waits a jittered, growing delay before each retry', async () => {
    jest.useFakeTimers();
    try {
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      const delays: number[] = [];
      const result = withVersionRetry(losesRaces(3), {
        attempts: 4,
        baseDelayMs: 100,
        onRetry: ({ delayMs }) => delays.push(delayMs),
      });
      await jest.runAllTimersAsync();
      await expect(result).resolves.toBe('done');
      expect(delays).toEqual([50, 100, 200]);
    } finally {
      jest.useRealTimers();
      jest.restoreAllMocks();
    }
  });

  it('rejects a non-positive number of attempts', async () => {
    await expect(withVersionRetry(losesRaces(0), { attempts: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('backoffDelayMs', () => {
  it('stays below base * 2^(attempt-1) and below the cap', () => {
    expect(backoffDelayMs(1, 10, () => 0.999)).toBe(9);
    expect(backoffDelayMs(4, 10, () => 0.999)).toBe(79);
    expect(backoffDelayMs(30, 10, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, 10, () => 0)).toBe(0);
  });
});

describe('assertOneRowUpdated', () => {
  it('accepts exactly one updated row, as a count or a batch result', () => {
    expect(() => assertOneRowUpdated(1, 'order o-1')).not.toThrow();
    expect(() => assertOneRowUpdated({ count: 1 }, 'order o-1')).not.toThrow();
  });

  it('turns zero rows into a VersionConflictError', () => {
    expect(() => assertOneRowUpdated({ count: 0 }, 'order o-1 at version 3')).toThrow(VersionConflictError);
  });

  it('treats more than one row as a bug, not a conflict', () => {
    expect(() => assertOneRowUpdated(2, 'order o-1')).toThrow(/Expected to update one row/);
  });
});
