import type { EventDefinition } from './define-event.js';
import { OrderCancelled, OrderCreated, OrderDispatchRequested, OrderStateChanged } from './events/orders.js';
import { PaymentFailed, PaymentInitiated, PaymentRefunded, PaymentSucceeded, PaymentVoided } from './events/payments.js';
import { ShipmentCancelled, ShipmentDispatched, ShipmentPrepared } from './events/shipments.js';
import { InventoryCommitted, InventoryLowStock, InventoryOutOfStock, InventoryRejected, InventoryReleased, InventoryReserved, InventoryUpdated } from './events/inventory.js';

/** Every event the pipeline knows, at every supported schema version. */
export const ALL_EVENTS: readonly EventDefinition[] = [
  OrderCreated,
  OrderCancelled,
  OrderDispatchRequested,
  OrderStateChanged,
  PaymentInitiated,
  PaymentSucceeded,
  PaymentFailed,
  PaymentRefunded,
  PaymentVoided,
  ShipmentPrepared,
  ShipmentDispatched,
  ShipmentCancelled,
  InventoryReserved,
  InventoryRejected,
  InventoryReleased,
  InventoryCommitted,
  InventoryUpdated,
  InventoryLowStock,
  InventoryOutOfStock,
];

const byTypeAndVersion = new Map(ALL_EVENTS.map((e) => [registryKey(e.type, e.schemaVersion), e]));

function registryKey(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}

/** The definition for a type at a version, or undefined when this build does not know it. */
export function findEventDefinition(type: string, schemaVersion: number): EventDefinition | undefined {
  return byTypeAndVersion.get(registryKey(type, schemaVersion));
}

type OrderableEvent = { type: string; schemaVersion: number; aggregateId: string; payload: unknown };

/** The order an event is about (its payload's orderId), for finding an order's trace; undefined for events about something else (a product's stock). */
export function orderIdOf(event: { payload: unknown }): string | undefined {
  const orderId = (event.payload as { orderId?: unknown } | null)?.orderId;
  return typeof orderId === 'string' ? orderId : undefined;
}

/** The key that orders a consumer's handling of `event` (see EventDefinition.orderingKey). */
export function orderingKeyOf(event: OrderableEvent): string {
  return orderingKeyBy(findEventDefinition(event.type, event.schemaVersion), event);
}

/** orderingKeyOf, for a caller that has looked the event's definition up already. */
export function orderingKeyBy(definition: EventDefinition | undefined, event: OrderableEvent): string {
  return definition?.orderingKey?.(event.payload as never) ?? event.aggregateId;
}
