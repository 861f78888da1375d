import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '#contracts';
import type { TransactionClient } from '#database';
import { IdempotentConsumer, causedBy, type ApplyOutcome } from '#messaging';
import type { OrderTrigger } from '../domain/order-state-machine.js';
import { OrderTransitionsService } from '../order-transitions.service.js';
import { OutOfOrderEventError } from './out-of-order.error.js';

/**
 * An event that overtook its predecessor (shipments.prepared before orders-api
 * applied payments.succeeded, which travels on another consumer) usually finds
 * it applied a moment later. Waiting here, a few times briefly, keeps such
 * events from spending one of the message's few deliveries.
 */
const EARLY_EVENT_WAITS_MS = [50, 150, 300, 500];

/**
 * Applies another service's event to an order once: inbox record and state
 * change in one transaction. An illegal transition is recorded and logged,
 * never applied; an early one waits briefly, then is retried later.
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
    for (const waitMs of EARLY_EVENT_WAITS_MS) {
      try {
        return await this.applyOnce(consumer, event, trigger, reason);
      } catch (error) {
        if (!(error instanceof OutOfOrderEventError)) throw error;
        await sleep(waitMs);
      }
    }
    return this.applyOnce(consumer, event, trigger, reason);
  }

  private async applyOnce(
    consumer: string,
    event: EventEnvelope<{ orderId: string }>,
    trigger: OrderTrigger,
    reason: string | null,
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
