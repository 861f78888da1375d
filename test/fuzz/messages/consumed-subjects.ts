import {
  ALL_EVENTS,
  Consumers,
  Streams,
  ShipmentCancelled,
  consumersReading,
  subjectMatches,
  type ConsumerDefinition,
  type EventDefinition,
  type StreamName,
} from '#contracts';

/**
 * Which consumers read which subjects, derived from the contracts
 * (`Consumers`, `ALL_EVENTS`, `Streams`), so that a consumer or event added
 * there is fuzzed without touching this file.
 */

type ConsumerKey = keyof typeof Consumers;

/** The stream that stores `subject`. */
export function streamOf(subject: string): StreamName {
  const stream = Object.values(Streams).find((s) => s.subjects.some((filter) => subjectMatches(filter, subject)));
  if (!stream) throw new Error(`no stream stores ${subject}`);
  return stream.name;
}

/** Every event some consumer reads (orders.state-changed, read by nobody, is not among them). */
export const CONSUMED_EVENTS: readonly EventDefinition[] = ALL_EVENTS.filter((event) => consumersReading(event.subject).length > 0);

/** `payments.` for `payments.>`: consumers with a wildcard also read subjects no event has. */
export const WILDCARD_PREFIXES: readonly string[] = [
  ...new Set(Object.values(Consumers).flatMap((c) => (c.filterSubject.endsWith('.>') ? [c.filterSubject.slice(0, -1)] : []))),
];

/**
 * What a consumer does with a well-formed event about an order (payment,
 * shipment) that no service has, as the services' code defines it:
 *
 * - `applies`: the consumer trusts the event as the owner's word and acts on
 *   it (payments charges an order it hears of, shipments prepares a paid
 *   order, a cancellation writes a CANCELLED placeholder so that a late
 *   predecessor does nothing). Not fuzzed with unknown aggregates: whether
 *   a publisher may speak for an owner is the NATS permissions' business.
 * - `fails`: it looks the aggregate up, does not find it, and fails on every
 *   delivery (a transient error, retried) until max_deliver: a `max_deliveries`
 *   dead letter, nothing written.
 * - `records`: it has nothing to do for that event type (the inbox records it).
 *
 * Keyed by every consumer of the contracts, so a new one does not compile
 * until it is classified here.
 */
export const ON_UNKNOWN_AGGREGATE: Record<ConsumerKey, (subject: string) => 'applies' | 'fails' | 'records'> = {
  paymentsOnInventoryReserved: () => 'applies',
  shipmentsOnOrderCancelled: () => 'applies',
  paymentsOnShipmentCancelled: () => 'applies',
  shipmentsOnPaymentSucceeded: () => 'applies',
  // DispatchShipmentService: "shipment <id> not found".
  shipmentsOnShipmentPrepared: () => 'fails',
  // DispatchShipmentService: "no shipment for order <id>" (orders-api asks only for prepared orders).
  shipmentsOnDispatchRequested: () => 'fails',
  // ApplyOrderEventService: OrderNotFoundError.
  ordersOnPayments: () => 'fails',
  // shipments.cancelled moves no order (the cancellation ends on payments.refunded/voided).
  ordersOnShipments: (subject) => (subject === ShipmentCancelled.subject ? 'records' : 'fails'),
  // The analytics read model records what each event says about its order, known or not.
  analyticsOnOrderCreated: () => 'applies',
  analyticsOnOrderCancelled: () => 'applies',
  analyticsOnPaymentSucceeded: () => 'applies',
  analyticsOnPaymentFailed: () => 'applies',
  analyticsOnPaymentRefunded: () => 'applies',
  analyticsOnInventoryRejected: () => 'applies',
  // ApplyOrderEventService: OrderNotFoundError.
  ordersOnInventoryReserved: () => 'fails',
  ordersOnInventoryRejected: () => 'fails',
  // Released and committed stock moves no order: the timeline records them.
  ordersOnInventoryReleased: () => 'records',
  ordersOnInventoryCommitted: () => 'records',
  // Inventory reserves (or rejects) whatever orders.created it hears of.
  inventoryOnOrderCreated: () => 'applies',
  // A release with no reservation leaves a CANCELLED one, so that a late orders.created holds nothing.
  inventoryOnPaymentFailed: () => 'applies',
  inventoryOnPaymentVoided: () => 'applies',
  inventoryOnShipmentCancelled: () => 'applies',
  // A dispatch with no reservation is logged and recorded: there is nothing to commit.
  inventoryOnShipmentDispatched: () => 'records',
};

function outcomeOn(consumer: ConsumerDefinition, subject: string) {
  const key = (Object.keys(Consumers) as ConsumerKey[]).find((k) => Consumers[k].durable === consumer.durable)!;
  return ON_UNKNOWN_AGGREGATE[key](subject);
}

/**
 * Events that every reader fails on when the aggregate is unknown: fuzzed as
 * well-formed events about unknown orders, each of which must end as one
 * `max_deliveries` dead letter per reader and change nothing.
 */
export const FAILING_ON_UNKNOWN_AGGREGATE: readonly EventDefinition[] = CONSUMED_EVENTS.filter((event) =>
  consumersReading(event.subject).every((consumer) => outcomeOn(consumer, event.subject) === 'fails'),
);
