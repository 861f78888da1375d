import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, EventEnvelope } from '#contracts';

type JetStreamContextArgs = [JsMsg, ConsumerDefinition, EventEnvelope];

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

  /** Extends the ack-wait lease of a long-running handler. */
  working(): void {
    this.message.working();
  }
}
