import type { EventEnvelope } from '#contracts';
import type { BatchOutcomes, DeliveredEvent } from '#jetstream';
import { Inbox, type ReceivedEvent } from '../inbox.js';
import type { ServiceSchema } from '../service-schema.js';
import type { UnitBody, UnitOfWork, UnitResult } from './shared-transaction.js';
import type { UnitsOfWork } from './units-of-work.js';

/**
 * One event of a batch as the transport delivers it (DeliveredEvent), of
 * which a unit of work needs the envelope and, when there is one, the way to
 * run code in the message's trace (absent: the active context).
 */
export type BatchedEvent<E extends EventEnvelope = EventEnvelope> = Pick<DeliveredEvent<E>, 'envelope'> & Partial<Pick<DeliveredEvent<E>, 'inTrace'>>;

export type ApplyOutcome = 'applied' | 'duplicate';

/** How one event of a batch ended: applied now, applied before (skipped), or failed (to be retried): the transport's outcome. */
export type EventOutcome = BatchOutcomes[number];

/** A consumer's effect for one event: decide and emit through the unit of work. */
export type EventEffect<E extends EventEnvelope> = (event: E, uow: UnitOfWork) => Promise<void>;

/**
 * Applies events once each, as units of work: the inbox record of every
 * event of a shared transaction in one statement, each new event's effect
 * set-based with its neighbours' (see runInSharedTransaction), one outbox
 * insert and one COMMIT.
 *
 * `applyBatch` takes a transport batch; `apply` one event, which joins the
 * events of other messages being applied at the same moment (group commit,
 * see UnitsOfWork). Isolation: an effect that throws before writing is left
 * out of the commit (its inbox record taken back) and fails alone; when the
 * shared transaction itself fails, each event runs again on its own. The
 * caller acknowledges each event after this resolves, by its outcome: the
 * ack always follows the commit that applied it.
 */
export class IdempotentBatchConsumer {
  private readonly inbox: Inbox;

  constructor(
    private readonly unitsOfWork: UnitsOfWork,
    schema: ServiceSchema,
  ) {
    this.inbox = new Inbox(schema);
  }

  /**
   * Whether `consumer` has applied `event` already (then this delivery is
   * counted as a duplicate on its inbox row), in a unit of work: one
   * statement for the units asking together. For a consumer whose work
   * starts before its effect's unit (a gateway call): a delivery of an event
   * that another delivery (a copy under a new msg id) applied does nothing.
   */
  appliedBefore(uow: UnitOfWork, consumer: string, event: EventEnvelope): Promise<boolean> {
    return uow.read(this.inbox.appliedBefore, { consumer, event });
  }

  /** The same as a unit of work of its own: after a failure, did another delivery apply the event meanwhile? */
  isApplied(consumer: string, event: EventEnvelope): Promise<boolean> {
    return this.unitsOfWork.run((uow) => this.appliedBefore(uow, consumer, event));
  }

  /** Counts and logs a delivery skipped because its event was applied before (call it once the skip is final). */
  reportDuplicate(consumer: string, event: EventEnvelope): void {
    this.inbox.reportDuplicate(consumer, event);
  }

  async applyBatch<E extends EventEnvelope>(consumer: string, events: ReadonlyArray<BatchedEvent<E>>, effect: EventEffect<E>): Promise<EventOutcome[]> {
    const results = await this.unitsOfWork.runAll(events.map(({ envelope, inTrace }) => this.unitFor(consumer, envelope, effect, inTrace)));
    return results.map((result, index) => this.outcomeOf(consumer, events[index].envelope, result));
  }

  /** One event, committed with whatever else is being applied at the moment; a failure is thrown. */
  async apply<E extends EventEnvelope>(consumer: string, event: E, effect: EventEffect<E>): Promise<ApplyOutcome> {
    const outcome = await this.unitsOfWork.run(this.unitFor(consumer, event, effect));
    if (outcome === 'duplicate') this.inbox.reportDuplicate(consumer, event);
    return outcome;
  }

  private unitFor<E extends EventEnvelope>(
    consumer: string,
    envelope: E,
    effect: EventEffect<E>,
    inTrace?: BatchedEvent['inTrace'],
  ): UnitBody<ApplyOutcome> {
    const received: ReceivedEvent = { consumer, event: envelope };
    const body = async (uow: UnitOfWork): Promise<ApplyOutcome> => {
      if (!(await uow.read(this.inbox.firstDeliveries, received))) return 'duplicate';
      // The record is the one write of a unit that fails before its effect wrote: taken back then.
      uow.onLeftOut(this.inbox.forgetting, received);
      await effect(envelope, uow);
      return 'applied';
    };
    return inTrace ? (uow) => inTrace(() => body(uow)) : body;
  }

  private outcomeOf(consumer: string, event: EventEnvelope, result: UnitResult<ApplyOutcome>): EventOutcome {
    if (!result.ok) return { outcome: 'failed', error: result.error };
    // Counted after the commit: a rolled-back attempt has skipped nothing.
    if (result.value === 'duplicate') this.inbox.reportDuplicate(consumer, event);
    return { outcome: result.value };
  }
}
