import { Injectable, Logger } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import type { TransactionClient } from '#database';
import { IdempotentConsumer, causedBy, type ApplyOutcome } from '#messaging';
import type { OrderTrigger } from '../domain/order-state-machine.js';
import { OrderTransitionsService } from '../order-transitions.service.js';
import { OutOfOrderEventError } from './out-of-order.error.js';

/**
 * Applies another service's event to an order once: inbox record and state
 * change in one transaction. An illegal transition is recorded and logged,
 * never applied; an early one is retried later.
 */
@Injectable()
export class ApplyOrderEventService {
  private readonly logger = new Logger('OrderEvents');

  constructor(
    private readonly idempotent: IdempotentConsumer,
    private readonly transitions: OrderTransitionsService,
  ) {}

  async apply(
    consumer: string,
    event: EventEnvelope<{ orderId: string }>,
    trigger: OrderTrigger,
    reason: string | null = null,
  ): Promise<ApplyOutcome> {
    const outcome = await this.idempotent.apply<TransactionClient>(consumer, event, async (tx) => {
      const decision = await this.transitions.transition(tx, {
        orderId: event.payload.orderId,
        trigger,
        cause: causedBy(event),
        reason,
      });
      if (decision.kind === 'early') {
        throw new OutOfOrderEventError(
          `${event.type} for order ${event.payload.orderId} arrived in ${decision.from}; waiting for ${decision.expected.join('/')}`,
        );
      }
      if (decision.kind === 'illegal') {
        this.logger.warn(`TRANSITION_REJECTED order=${event.payload.orderId} event=${event.id}: ${decision.reason}`);
      }
    });
    if (outcome === 'duplicate') this.logger.log(`DUPLICATE_EVENT ${event.type} ${event.id} (${consumer})`);
    return outcome;
  }
}
