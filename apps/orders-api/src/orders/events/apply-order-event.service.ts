import { Injectable, Logger } from '@nestjs/common';
import type { EventEnvelope } from '#contracts';
import { IdempotentBatchConsumer, causedBy, type ApplyOutcome, type BatchedEvent, type EventOutcome, type UnitOfWork } from '#messaging';
import type { OrderTrigger, TransitionDecision } from '../domain/order-state-machine.js';
import { lockOrderStates, type OrderStateRow } from '../order-rows.js';
import { OrderNotFoundError, OrderTransitionsService, type TransitionRequest } from '../order-transitions.service.js';
import { parkEvents, parkedEventsOf, unparkEvents } from './parked-order-events.js';
import { shippingOf } from './shipping-of.js';
import { recordInTimeline } from '../timeline/order-timeline.js';

type OrderEvent = EventEnvelope<{ orderId: string }>;

/** What an event does to its order: the state machine's trigger, and the reason recorded with the change. */
export interface OrderEffect {
  trigger: OrderTrigger;
  reason?: string | null;
}

/**
 * Applies other services' events to orders once each: a batch of events in
 * one transaction (inbox, locks, state changes, history, outbox: a statement
 * each for the whole batch), each event decided on its own order.
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
    private readonly batches: IdempotentBatchConsumer,
    private readonly transitions: OrderTransitionsService,
  ) {}

  /** The events of one batch of `consumer`, each with the effect `effectOf` gives it (none: recorded only); one outcome per event. */
  applyBatch<E extends OrderEvent>(consumer: string, events: ReadonlyArray<BatchedEvent<E>>, effectOf: (event: E) => OrderEffect | undefined): Promise<EventOutcome[]> {
    return this.batches.applyBatch(consumer, events, async (event, uow) => {
      // Every event about the order goes on its timeline, whether it moves the order or not.
      await recordInTimeline(uow, [event]);
      const effect = effectOf(event);
      if (effect) await this.applyOne(uow, consumer, event, effect);
    });
  }

  /** One event alone (a batch of one); a failure is thrown. */
  async apply(consumer: string, event: OrderEvent, trigger: OrderTrigger, reason: string | null = null): Promise<ApplyOutcome> {
    const [result] = await this.applyBatch(consumer, [{ envelope: event }], () => ({ trigger, reason }));
    if (result.outcome === 'failed') throw result.error;
    return result.outcome;
  }

  private async applyOne(uow: UnitOfWork, consumer: string, event: OrderEvent, { trigger, reason = null }: OrderEffect): Promise<void> {
    const { orderId } = event.payload;
    const decision = await this.transitionLocked(uow, { orderId, trigger, cause: causedBy(event), reason, shipping: shippingOf(event) });
    if (decision.kind === 'early') {
      await uow.write(parkEvents, { consumer, event, trigger, reason });
      uow.afterCommit(() =>
        this.logger.log(`EVENT_PARKED order=${orderId} ${event.type} in ${decision.from}, waiting for ${decision.expected.join('/')}`),
      );
    } else if (decision.kind === 'illegal') {
      uow.afterCommit(() => this.logger.warn(`TRANSITION_REJECTED order=${orderId} event=${event.id}: ${decision.reason}`));
    }
  }

  /**
   * Moves the order under its row lock and, when it moved, applies the
   * parked events its new state allows. Parking decides on the order's
   * current state, so whoever applies a predecessor must see the parked row:
   * every transition takes turns on the order. For events and for the
   * customer's cancel alike.
   */
  async transitionLocked(uow: UnitOfWork, request: TransitionRequest): Promise<TransitionDecision> {
    const order = await uow.read(lockOrderStates, request.orderId);
    if (!order) throw new OrderNotFoundError(request.orderId);
    const { decision, order: moved, parkedEventsWaiting } = await this.transitions.transition(uow, order, request);
    if (parkedEventsWaiting) await this.applyParked(uow, moved);
    return decision;
  }

  /**
   * Applies parked events that the order's new state allows, until none does.
   * The caller holds the order's row lock (lockOrderStates) and passes the
   * order as its transition left it; each applied event moves it on.
   */
  private async applyParked(uow: UnitOfWork, moved: OrderStateRow): Promise<void> {
    const orderId = moved.id;
    let order = moved;
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const parked of await uow.read(parkedEventsOf, orderId)) {
        const { decision, order: next } = await this.transitions.transition(uow, order, {
          orderId,
          trigger: parked.trigger,
          cause: causedBy(parked.event),
          reason: parked.reason,
          shipping: shippingOf(parked.event),
        });
        if (decision.kind === 'early') continue;
        order = next;
        await uow.write(unparkEvents, parked);
        if (decision.kind === 'illegal') {
          uow.afterCommit(() => this.logger.warn(`TRANSITION_REJECTED order=${orderId} parked event=${parked.event.id}: ${decision.reason}`));
        }
        progressed = true;
      }
    }
  }
}
