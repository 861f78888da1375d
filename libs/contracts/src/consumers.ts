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
  paymentsOnInventoryReserved: {
    durable: 'payments--inventory-reserved',
    stream: 'INVENTORY',
    filterSubject: 'inventory.reserved',
    service: 'payments',
    description: 'Charges each order whose stock is reserved.',
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
  // One consumer per reservation event, not one on inventory.>: that would
  // also deliver every stock event (inventory.updated, the alerts), which are
  // about products, not orders (NATS 2.9 takes one filter per consumer).
  ordersOnInventoryReserved: {
    durable: 'orders-api--inventory-reserved',
    stream: 'INVENTORY',
    filterSubject: 'inventory.reserved',
    service: 'orders-api',
    description: 'Moves a new order to RESERVED.',
  },
  ordersOnInventoryRejected: {
    durable: 'orders-api--inventory-rejected',
    stream: 'INVENTORY',
    filterSubject: 'inventory.rejected',
    service: 'orders-api',
    description: 'Moves a new order to REJECTED, with the SKUs that were short.',
  },
  ordersOnInventoryReleased: {
    durable: 'orders-api--inventory-released',
    stream: 'INVENTORY',
    filterSubject: 'inventory.released',
    service: 'orders-api',
    description: "Records the release of an order's stock on its timeline.",
  },
  ordersOnInventoryCommitted: {
    durable: 'orders-api--inventory-committed',
    stream: 'INVENTORY',
    filterSubject: 'inventory.committed',
    service: 'orders-api',
    description: "Records that an order's stock left the warehouse on its timeline.",
  },
  analyticsOnOrderCreated: {
    durable: 'analytics--orders-created',
    stream: 'ORDERS',
    filterSubject: 'orders.created',
    service: 'analytics',
    description: 'Analytics: records each new order (customer, currency, total, lines).',
  },
  analyticsOnOrderCancelled: {
    durable: 'analytics--orders-cancelled',
    stream: 'ORDERS',
    filterSubject: 'orders.cancelled',
    service: 'analytics',
    description: "Analytics: records each order's cancellation.",
  },
  analyticsOnPaymentSucceeded: {
    durable: 'analytics--payments-succeeded',
    stream: 'PAYMENTS',
    filterSubject: 'payments.succeeded',
    service: 'analytics',
    description: "Analytics: records each order's captured revenue.",
  },
  analyticsOnPaymentFailed: {
    durable: 'analytics--payments-failed',
    stream: 'PAYMENTS',
    filterSubject: 'payments.failed',
    service: 'analytics',
    description: 'Analytics: records each order whose payment failed.',
  },
  analyticsOnPaymentRefunded: {
    durable: 'analytics--payments-refunded',
    stream: 'PAYMENTS',
    filterSubject: 'payments.refunded',
    service: 'analytics',
    description: 'Analytics: records the revenue refunded to a cancelled order.',
  },
  analyticsOnInventoryRejected: {
    durable: 'analytics--inventory-rejected',
    stream: 'INVENTORY',
    filterSubject: 'inventory.rejected',
    service: 'analytics',
    description: 'Analytics: records each order rejected for want of stock.',
  },
  inventoryOnOrderCreated: {
    durable: 'inventory--orders-created',
    stream: 'ORDERS',
    filterSubject: 'orders.created',
    service: 'inventory',
    description: 'Inventory: reserves every line of a new order, or rejects it with the SKUs that were short.',
  },
  inventoryOnPaymentFailed: {
    durable: 'inventory--payments-failed',
    stream: 'PAYMENTS',
    filterSubject: 'payments.failed',
    service: 'inventory',
    description: 'Inventory: releases the reservation of an order whose payment failed.',
  },
  inventoryOnPaymentVoided: {
    durable: 'inventory--payments-voided',
    stream: 'PAYMENTS',
    filterSubject: 'payments.voided',
    service: 'inventory',
    description: 'Inventory: releases the reservation of a cancelled order that was never charged (if shipments.cancelled did not already).',
  },
  inventoryOnShipmentCancelled: {
    durable: 'inventory--shipments-cancelled',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.cancelled',
    service: 'inventory',
    description: 'Inventory: releases the reservation of a cancelled order (or keeps a later orders.created from reserving).',
  },
  inventoryOnShipmentDispatched: {
    durable: 'inventory--shipments-dispatched',
    stream: 'SHIPMENTS',
    filterSubject: 'shipments.dispatched',
    service: 'inventory',
    description: 'Inventory: commits the reservation of a dispatched order (on hand goes down).',
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
