/**
 * Runs tasks that share a key one after another, and tasks with different
 * keys concurrently. Written by hand because what is needed is only this
 * chaining of promises per key, with the map entry dropped once a key's chain
 * is idle so the map does not grow with every order ever seen.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }

  get activeKeys(): number {
    return this.tails.size;
  }
}
