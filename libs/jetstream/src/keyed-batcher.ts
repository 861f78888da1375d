/**
 * Gathers items into batches for a worker that takes one batch at a time:
 * what arrived while the previous batch ran is the next batch (it takes what
 * is there; it never waits to fill), at most `maxBatch` items, and never two
 * items of one key, so items of a key are handled in arrival order, each
 * after the previous one finished. Hand-written: it is the seam between the
 * pull consumer's stream of messages and the batch handler.
 */
export class KeyedBatcher<T> {
  private readonly pending: T[] = [];
  private running?: Promise<void>;
  private scheduled = false;

  constructor(
    private readonly maxBatch: number,
    private readonly keyOf: (item: T) => string,
    private readonly work: (batch: T[]) => Promise<void>,
  ) {}

  /**
   * Queues an item. Resolves at once, or, while twice a batch is waiting,
   * once the running batch is done: the caller stops pulling meanwhile.
   */
  async add(item: T): Promise<void> {
    this.pending.push(item);
    if (!this.running && !this.scheduled) {
      // After the rest of this turn's messages (a pull's worth arrives in one socket read).
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.startNext();
      });
    }
    while (this.running && this.pending.length >= 2 * this.maxBatch) await this.running;
  }

  get waiting(): number {
    return this.pending.length;
  }

  private startNext(): void {
    if (this.running || this.pending.length === 0) return;
    const batch = this.take();
    this.running = this.work(batch)
      .catch(() => {}) // the work settles its own items; a throw must not stop the batches
      .finally(() => {
        this.running = undefined;
        this.startNext();
      });
  }

  /** The oldest items, one per key, up to maxBatch; the rest stay queued in their order. */
  private take(): T[] {
    const batch: T[] = [];
    const keys = new Set<string>();
    let kept = 0;
    for (let index = 0; index < this.pending.length; index++) {
      const item = this.pending[index];
      const key = this.keyOf(item);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(item);
      } else {
        this.pending[kept++] = item;
      }
    }
    this.pending.length = kept;
    return batch;
  }
}
