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
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    this.available = size;
  }

  get inUse(): number {
    return this.size - this.available;
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available += 1;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
