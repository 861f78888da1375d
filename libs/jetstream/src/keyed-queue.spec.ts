import { describe, it, expect } from '@jest/globals';
import { KeyedQueue } from './keyed-queue.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedQueue', () => {
  it('runs tasks of one key in order, one at a time', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([queue.run('a', task('a1', 20)), queue.run('a', task('a2', 1))]);
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('runs different keys concurrently', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    await Promise.all([
      queue.run('a', async () => {
        log.push('start a');
        await tick(20);
        log.push('end a');
      }),
      queue.run('b', async () => {
        log.push('start b');
      }),
    ]);
    expect(log.indexOf('start b')).toBeLessThan(log.indexOf('end a'));
  });

  it('goes on after a failed task and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let ran = false;
    await queue.run('a', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    await tick(0);
    expect(queue.activeKeys).toBe(0);
  });

  it('starts the task of an idle key at once', () => {
    const queue = new KeyedQueue();
    let started = false;
    void queue.run('a', async () => {
      started = true;
    });
    expect(started).toBe(true);
  });

  it('turns a task that throws synchronously into a rejection and keeps the key usable', async () => {
    const queue = new KeyedQueue();
    const throwsAtOnce = (): Promise<void> => {
      throw new Error('sync boom');
    };
    await expect(queue.run('a', throwsAtOnce)).rejects.toThrow('sync boom');
    await expect(queue.run('a', async () => undefined)).resolves.toBeUndefined();
  });
});
