import {
  InventoryCommitted,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
  OrderCancelled,
  OrderCreated,
  PaymentFailed,
  PaymentInitiated,
  PaymentRefunded,
  PaymentSucceeded,
  PaymentVoided,
  ShipmentCancelled,
  ShipmentDispatched,
  ShipmentPrepared,
  type EventDefinition,
} from '#contracts';

/** A step of the saga as the Operations page shows it: the event that says it happened. */
export interface PipelineStage {
  readonly name: string;
  readonly event: EventDefinition;
}

/**
 * The saga's steps in the order an order meets them (the happy path, then
 * the ways out, then the compensations), each named after what it means for
 * the order. Stock events (inventory.updated and the alerts) are about
 * products, not orders, and the retired orders.state-changed is not emitted:
 * neither is a stage.
 */
export const PIPELINE_STAGES: readonly PipelineStage[] = [
  { name: 'created', event: OrderCreated },
  { name: 'reserved', event: InventoryReserved },
  { name: 'charging', event: PaymentInitiated },
  { name: 'paid', event: PaymentSucceeded },
  { name: 'prepared', event: ShipmentPrepared },
  { name: 'shipped', event: ShipmentDispatched },
  { name: 'stock-committed', event: InventoryCommitted },
  { name: 'rejected', event: InventoryRejected },
  { name: 'payment-failed', event: PaymentFailed },
  { name: 'cancel-requested', event: OrderCancelled },
  { name: 'shipment-cancelled', event: ShipmentCancelled },
  { name: 'refunded', event: PaymentRefunded },
  { name: 'voided', event: PaymentVoided },
  { name: 'stock-released', event: InventoryReleased },
];
