/**
 * A counting semaphore whose `acquire` makes the caller wait.
 *
 * Written by hand because the usual limiters (p-limit and kin) queue the work
 * instead: a consume loop would keep pulling messages into that queue, where
 * their ack-wait runs out before a handler ever sees them. Here the loop stops
 * pulling until a handler finishes.
 */
export class Semaphore {
  private available: number;
  /**
   * Waiting callers, oldest first, from `head` on. An index instead of
   * shift(): a burst of callers (many publish() calls at once) can queue
   * thousands of waiters, and shifting an array that long on every release
   * is quadratic.
   */
  private waiters: Array<() => void> = [];
  private head = 0;

  constructor(readonly size: number) {
    this.available = size;
  }

  get inUse(): number {
    return this.size - this.available;
  }

  /**
   * Takes a slot if one is free, without waiting. A caller that usually finds
   * a slot free (a consume loop) skips the promise and the microtask turns an
   * `await acquire()` costs per message.
   */
  tryAcquire(): boolean {
    if (this.available === 0) return false;
    this.available -= 1;
    return true;
  }

  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head]!;
      this.head += 1;
      // Compact once the consumed prefix dominates, so the array does not grow for ever.
      if (this.head > 1_024 && this.head * 2 > this.waiters.length) {
        this.waiters = this.waiters.slice(this.head);
        this.head = 0;
      }
      next();
    } else this.available += 1;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (!this.tryAcquire()) await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
