import { Inject, Injectable } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Consumers } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import { withTimeout } from '#metrics';

/** Below a request's patience: a slow answer only keeps the last figure. */
const ANSWER_WITHIN_MS = 2_000;

/**
 * The work the pipeline has taken on and not finished: messages waiting in
 * every durable consumer of every service (not yet delivered, or delivered
 * and not yet acknowledged). The outbox backlog only shows a relay that is
 * behind; when the consumers are behind instead (the usual case: every
 * service shares two cores), orders-api's outbox is empty while each new
 * order waits behind all the others, so admission looks here too.
 * A consumer that does not exist yet (a service not deployed) counts as 0.
 */
@Injectable()
export class PipelineLag {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async measure(): Promise<number> {
    return withTimeout(this.sum(), ANSWER_WITHIN_MS, 'NATS (consumer info)');
  }

  private async sum(): Promise<number> {
    const jsm = await jetstreamManager(this.connection, { timeout: ANSWER_WITHIN_MS, checkAPI: false });
    const lags = await Promise.all(
      Object.values(Consumers).map((consumer) =>
        jsm.consumers
          .info(consumer.stream, consumer.durable)
          .then((info) => info.num_pending + info.num_ack_pending)
          .catch(() => 0),
      ),
    );
    return lags.reduce((sum, lag) => sum + lag, 0);
  }
}
