import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, EventEnvelope } from '#contracts';

type JetStreamContextArgs = [JsMsg, ConsumerDefinition, EventEnvelope, DeliveryLimits];

export interface DeliveryLimits {
  maxDeliver: number;
  ackWaitMs: number;
}

/** What a handler may want besides the payload: the raw message and its consumer. */
export class JetStreamContext extends BaseRpcContext<JetStreamContextArgs> {
  get message(): JsMsg {
    return this.args[0];
  }

  get consumer(): ConsumerDefinition {
    return this.args[1];
  }

  get envelope(): EventEnvelope {
    return this.args[2];
  }

  /** 1 on the first delivery, 2 on the first retry, and so on. */
  get deliveryCount(): number {
    return this.message.info.deliveryCount;
  }

  /** The server's limit of deliveries for this consumer. */
  get maxDeliver(): number {
    return this.args[3].maxDeliver;
  }

  /** True on the last delivery: if the handler fails now, the message is dead-lettered. */
  get isLastAttempt(): boolean {
    return this.deliveryCount >= this.maxDeliver;
  }

  /** Extends the ack-wait lease of a long-running handler once. */
  working(): void {
    this.message.working();
  }

  /**
   * Keeps the lease alive while `work` runs (a slow gateway call, say), so the
   * server does not redeliver the message to another worker meanwhile. Bounded
   * by the work itself: a hung handler without keepAlive still times out.
   */
  async keepAlive<T>(work: Promise<T>): Promise<T> {
    const timer = setInterval(() => this.message.working(), Math.max(100, this.args[3].ackWaitMs / 3));
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }
}
