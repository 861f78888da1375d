/** What an ack batch needs of a message (JetStream's JsMsg has it). */
export interface Ackable {
  ack(): void;
}

/**
 * Sends acks in bursts: the acks handed in during one turn of the event loop
 * go out together at the start of the next. The NATS client writes its buffer
 * to the socket a microtask after the first command in it, so acks sent one by
 * one as handlers finish cost a socket write each — more than everything
 * else the transport does per message. In a burst they share one write.
 *
 * An ack still goes out only after its handler finished (the caller adds it
 * then), at most one event-loop turn later. Written by hand because this is
 * only a list and a setImmediate.
 */
export class AckBatch {
  private pending: Ackable[] = [];
  private scheduled?: NodeJS.Immediate;

  /** `onError` hears of an ack the client refused (a closed connection); the message then comes back after ack wait. */
  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.pending.length;
  }

  add(message: Ackable): void {
    this.pending.push(message);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Sends every pending ack now (also what close() calls before draining the connection). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const message of batch) {
      try {
        message.ack();
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
