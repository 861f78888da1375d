/**
 * Runs tasks that share a key one after another, and tasks with different
 * keys concurrently. Written by hand because what is needed is only this
 * chaining of promises per key, with the map entry dropped once a key's chain
 * is idle so the map does not grow with every order ever seen.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key);
    // An idle key (nearly every message: one order's events rarely overlap)
    // starts its task at once instead of a microtask later behind a resolved promise.
    const current = previous ? previous.then(task) : start(task);
    // The tail settles when `current` does, failed or not, and drops the key if nothing queued behind it.
    const forget = (): void => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail = current.then(forget, forget);
    this.tails.set(key, tail);
    return current;
  }

  get activeKeys(): number {
    return this.tails.size;
  }
}

/** Runs `task` now; a synchronous throw becomes a rejection, as it would inside `then`. */
function start(task: () => Promise<void>): Promise<void> {
  try {
    return task();
  } catch (error) {
    return Promise.reject(error);
  }
}
