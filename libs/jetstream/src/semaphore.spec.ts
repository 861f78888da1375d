import { describe, it, expect } from '@jest/globals';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('lets at most `size` tasks run at once and wakes waiters in order', async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(i);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(semaphore.inUse).toBe(0);
  });

  it('releases the slot when the task throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(semaphore.inUse).toBe(0);
  });

  it('tryAcquire takes a free slot without waiting and refuses when none is free', () => {
    const semaphore = new Semaphore(1);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(false);
    semaphore.release();
    expect(semaphore.inUse).toBe(0);
  });

  it('hands a released slot to a waiter before tryAcquire can take it', async () => {
    const semaphore = new Semaphore(1);
    semaphore.tryAcquire();
    const waiting = semaphore.acquire();
    semaphore.release();
    expect(semaphore.tryAcquire()).toBe(false);
    await waiting;
    expect(semaphore.inUse).toBe(1);
  });
});
