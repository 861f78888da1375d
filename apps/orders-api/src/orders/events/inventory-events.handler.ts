import { Payload } from '@nestjs/microservices';
import { Consumers, InventoryCommitted, InventoryRejected, InventoryReleased, InventoryReserved, type EnvelopeOf, type PayloadOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { ApplyOrderEventService, type OrderEffect } from './apply-order-event.service.js';

type InventoryEvent =
  | EnvelopeOf<typeof InventoryReserved>
  | EnvelopeOf<typeof InventoryRejected>
  | EnvelopeOf<typeof InventoryReleased>
  | EnvelopeOf<typeof InventoryCommitted>;

/** "out of stock: MUG (asked 4, available 1), GIFT-CARD (not in the catalog)": the order's failure reason. */
export function shortageReason({ shortages }: PayloadOf<typeof InventoryRejected>): string {
  const short = shortages.map((s) => (s.known ? `${s.sku} (asked ${s.requested}, available ${s.available})` : `${s.sku} (not in the catalog)`));
  return `out of stock: ${short.join(', ')}`;
}

/**
 * A reservation moves a new order to RESERVED, a rejection to REJECTED.
 * Released and committed stock moves nothing (the payment or shipment event
 * that caused it did): they are recorded on the order's timeline only.
 */
function effectOf(event: InventoryEvent): OrderEffect | undefined {
  switch (event.type) {
    case InventoryReserved.type:
      return { trigger: 'INVENTORY_RESERVED' };
    case InventoryRejected.type:
      return { trigger: 'INVENTORY_REJECTED', reason: shortageReason((event as EnvelopeOf<typeof InventoryRejected>).payload) };
    default:
      return undefined;
  }
}

/** The reservation events of inventory, a batch at a time, one durable consumer each (see Consumers.ordersOnInventoryReserved). */
@MessageController()
export class InventoryEventsHandler {
  constructor(private readonly orders: ApplyOrderEventService) {}

  @EventBatchPattern(Consumers.ordersOnInventoryReserved)
  onReserved(@Payload() events: Array<DeliveredEvent<InventoryEvent>>): Promise<BatchOutcomes> {
    return this.orders.applyBatch(Consumers.ordersOnInventoryReserved.durable, events, effectOf);
  }

  @EventBatchPattern(Consumers.ordersOnInventoryRejected)
  onRejected(@Payload() events: Array<DeliveredEvent<InventoryEvent>>): Promise<BatchOutcomes> {
    return this.orders.applyBatch(Consumers.ordersOnInventoryRejected.durable, events, effectOf);
  }

  @EventBatchPattern(Consumers.ordersOnInventoryReleased)
  onReleased(@Payload() events: Array<DeliveredEvent<InventoryEvent>>): Promise<BatchOutcomes> {
    return this.orders.applyBatch(Consumers.ordersOnInventoryReleased.durable, events, effectOf);
  }

  @EventBatchPattern(Consumers.ordersOnInventoryCommitted)
  onCommitted(@Payload() events: Array<DeliveredEvent<InventoryEvent>>): Promise<BatchOutcomes> {
    return this.orders.applyBatch(Consumers.ordersOnInventoryCommitted.durable, events, effectOf);
  }
}
