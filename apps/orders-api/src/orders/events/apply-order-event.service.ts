import { Injectable, Logger } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import { afterCommit, type SqlClient } from '#database';
import { IdempotentConsumer, causedBy, type ApplyOutcome } from '#messaging';
import type { OrderTrigger, TransitionDecision } from '../domain/order-state-machine.js';
import { lockOrderState, type OrderStateRow } from '../order-rows.js';
import { OrderNotFoundError, OrderTransitionsService, type TransitionRequest } from '../order-transitions.service.js';
import { ParkedOrderEvents } from './parked-order-events.js';

/**
 * Applies another service's event to an order once: inbox record and state
 * change in one transaction.
 *
 * An event that arrives before its predecessor (the two travel on different
 * consumers, and a crash can hold the predecessor back for a whole ack wait)
 * is parked, not retried: retrying would spend the message's few deliveries
 * on waiting and dead-letter a perfectly good event. The parked event is
 * applied in the transaction that applies its predecessor. An illegal
 * transition is recorded and logged, never applied.
 */
@Injectable()
export class ApplyOrderEventService {
  private readonly logger = new Logger('OrderEvents');

  constructor(
    private readonly idempotent: IdempotentConsumer,
    private readonly transitions: OrderTransitionsService,
    private readonly parked: ParkedOrderEvents,
  ) {}

  async apply(
    consumer: string,
    event: EventEnvelope<{ orderId: string }>,
    trigger: OrderTrigger,
    reason: string | null = null,
  ): Promise<ApplyOutcome> {
    const { orderId } = event.payload;
    return this.idempotent.apply(consumer, event, async (tx) => {
      const decision = await this.transitionLocked(tx, { orderId, trigger, cause: causedBy(event), reason });
      if (decision.kind === 'early') {
        await this.parked.park(tx, { consumer, event, trigger, reason });
        afterCommit(tx, () =>
          this.logger.log(`EVENT_PARKED order=${orderId} ${event.type} in ${decision.from}, waiting for ${decision.expected.join('/')}`),
        );
      } else if (decision.kind === 'illegal') {
        afterCommit(tx, () => this.logger.warn(`TRANSITION_REJECTED order=${orderId} event=${event.id}: ${decision.reason}`));
      }
    });
  }

  /**
   * Moves the order under its row lock and, when it moved, applies the
   * parked events its new state allows. Parking decides on the order's
   * current state, so whoever applies a predecessor must see the parked row:
   * every transition takes turns on the order. For events and for the
   * customer's cancel alike.
   */
  async transitionLocked(tx: SqlClient, request: TransitionRequest): Promise<TransitionDecision> {
    const order = await lockOrderState(tx, request.orderId);
    if (!order) throw new OrderNotFoundError(request.orderId);
    const { decision, order: moved, parkedEventsWaiting } = await this.transitions.transition(tx, order, request);
    if (parkedEventsWaiting) await this.applyParked(tx, moved);
    return decision;
  }

  /**
   * Applies parked events that the order's new state allows, until none does.
   * The caller holds the order's row lock (lockOrderState) and passes the
   * order as its transition left it; each applied event moves it on.
   */
  private async applyParked(tx: SqlClient, moved: OrderStateRow): Promise<void> {
    const orderId = moved.id;
    let order = moved;
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const parked of await this.parked.forOrder(tx, orderId)) {
        const { decision, order: next } = await this.transitions.transition(tx, order, {
          orderId,
          trigger: parked.trigger,
          cause: causedBy(parked.event),
          reason: parked.reason,
        });
        if (decision.kind === 'early') continue;
        order = next;
        await this.parked.remove(tx, parked);
        if (decision.kind === 'illegal') {
          afterCommit(tx, () => this.logger.warn(`TRANSITION_REJECTED order=${orderId} parked event=${parked.event.id}: ${decision.reason}`));
        }
        progressed = true;
      }
    }
  }
}
