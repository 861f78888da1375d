import type { ServiceName } from './services.js';
import type { StreamName } from './streams.js';
import { subjectMatches } from './subjects.js';

/**
 * A durable pull consumer: which service reads which subjects of which stream.
 * Durable names use `--` because NATS names may not contain dots.
 */
export interface ConsumerDefinition {
  readonly durable: string;
  readonly stream: StreamName;
  /** One subject or a wildcard (NATS 2.9 accepts a single filter per consumer). */
  readonly filterSubject: string;
  readonly service: ServiceName;
  readonly description: string;
}

export const Consumers = {
  paymentsOnOrderCreated: {
    durable: 'payments--orders-created',
    stream: 'ORDERS',
    filterSubject: 'orders.created',
    service: 'payments',
    description: 'Charges each new order.',
  },
  shipmentsOnOrderCancelled: {
    durable: 'shipments--orders-cancelled',
    stream: 'ORDERS',
    filterSubject: 'orders.cancelled',
    service: 'shipments',
    description: 'Stops the shipment of a cancelled order unless the carrier already has it.',
  },
  paymentsOnShipmentCancelled: {
    durable: 'payments--shipments-cancelled',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.cancelled',
    service: 'payments',
    description: 'Refunds (or voids) the payment of a cancelled order once its shipment is stopped.',
  },
  shipmentsOnPaymentSucceeded: {
    durable: 'shipments--payments-succeeded',
    stream: 'PAYMENTS',
    filterSubject: 'payments.succeeded',
    service: 'shipments',
    description: 'Prepares a shipment for each paid order.',
  },
  shipmentsOnShipmentPrepared: {
    durable: 'shipments--shipments-prepared',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.prepared',
    service: 'shipments',
    description: 'Hands prepared shipments to the carrier (automatic dispatch).',
  },
  shipmentsOnDispatchRequested: {
    durable: 'shipments--orders-dispatch-requested',
    stream: 'ORDERS',
    filterSubject: 'orders.dispatch-requested',
    service: 'shipments',
    description: 'Dispatches a prepared shipment that an operator handed to the carrier by hand (manual dispatch).',
  },
  ordersOnPayments: {
    durable: 'orders-api--payments',
    stream: 'PAYMENTS',
    filterSubject: 'payments.>',
    service: 'orders-api',
    description: 'Moves orders through payment states.',
  },
  ordersOnShipments: {
    durable: 'orders-api--shipments',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.>',
    service: 'orders-api',
    description: 'Moves orders through shipment states.',
  },
  analyticsOnOrderCreated: {
    durable: 'analytics--orders-created',
    stream: 'ORDERS',
    filterSubject: 'orders.created',
    service: 'analytics',
    description: 'Analytics: applies each orders.created to its OrderFact (describe what it does).',
  },
  analyticsOnOrderCancelled: {
    durable: 'analytics--orders-cancelled',
    stream: 'ORDERS',
    filterSubject: 'orders.cancelled',
    service: 'analytics',
    description: 'Analytics: applies each orders.cancelled to its OrderFact (describe what it does).',
  },
  analyticsOnPaymentSucceeded: {
    durable: 'analytics--payments-succeeded',
    stream: 'PAYMENTS',
    filterSubject: 'payments.succeeded',
    service: 'analytics',
    description: 'Analytics: applies each payments.succeeded to its OrderFact (describe what it does).',
  },
  analyticsOnPaymentFailed: {
    durable: 'analytics--payments-failed',
    stream: 'PAYMENTS',
    filterSubject: 'payments.failed',
    service: 'analytics',
    description: 'Analytics: applies each payments.failed to its OrderFact (describe what it does).',
  },
  analyticsOnPaymentRefunded: {
    durable: 'analytics--payments-refunded',
    stream: 'PAYMENTS',
    filterSubject: 'payments.refunded',
    service: 'analytics',
    description: 'Analytics: applies each payments.refunded to its OrderFact (describe what it does).',
  },
  inventoryOnOrderCreated: {
    durable: 'inventory--orders-created',
    stream: 'ORDERS',
    filterSubject: 'orders.created',
    service: 'inventory',
    description: 'Inventory: applies each orders.created to its Reservation (describe what it does).',
  },
  inventoryOnPaymentFailed: {
    durable: 'inventory--payments-failed',
    stream: 'PAYMENTS',
    filterSubject: 'payments.failed',
    service: 'inventory',
    description: 'Inventory: applies each payments.failed to its Reservation (describe what it does).',
  },
  inventoryOnPaymentVoided: {
    durable: 'inventory--payments-voided',
    stream: 'PAYMENTS',
    filterSubject: 'payments.voided',
    service: 'inventory',
    description: 'Inventory: applies each payments.voided to its Reservation (describe what it does).',
  },
  inventoryOnShipmentCancelled: {
    durable: 'inventory--shipments-cancelled',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.cancelled',
    service: 'inventory',
    description: 'Inventory: applies each shipments.cancelled to its Reservation (describe what it does).',
  },
  inventoryOnShipmentDispatched: {
    durable: 'inventory--shipments-dispatched',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.dispatched',
    service: 'inventory',
    description: 'Inventory: applies each shipments.dispatched to its Reservation (describe what it does).',
  },
} as const satisfies Record<string, ConsumerDefinition>;

/**
 * The service that reads the backlog of every consumer above, not only of its
 * own: orders-api refuses new orders while the whole pipeline lags
 * (admission control), so its NATS user may read any of their consumer info.
 */
export const CONSUMER_BACKLOG_READER: ServiceName = 'orders-api';

/** The consumers that read `subject`: every one of them gets a message published on it. */
export function consumersReading(subject: string): ConsumerDefinition[] {
  return Object.values(Consumers).filter((consumer) => subjectMatches(consumer.filterSubject, subject));
}

/** The consumers one service runs. */
export function consumersOf(service: ServiceName): ConsumerDefinition[] {
  return Object.values(Consumers).filter((c) => c.service === service);
}
