import { Payload } from '@nestjs/microservices';
import { Consumers, ShipmentCancelled, ShipmentDispatched, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { ApplyOrderEventService, type OrderEffect } from './apply-order-event.service.js';

const consumer = Consumers.ordersOnShipments;

type ShipmentEvent = EnvelopeOf<typeof ShipmentPrepared> | EnvelopeOf<typeof ShipmentDispatched> | EnvelopeOf<typeof ShipmentCancelled>;

/**
 * Shipment progress moves a paid order to prepared, then shipped.
 * shipments.cancelled moves nothing: the cancellation closes on
 * payments.refunded or payments.voided, which payments emits after it.
 */
function effectOf(event: ShipmentEvent): OrderEffect | undefined {
  switch (event.type) {
    case ShipmentPrepared.type:
      return { trigger: 'SHIPMENT_PREPARED' };
    case ShipmentDispatched.type:
      return { trigger: 'SHIPMENT_DISPATCHED' };
    case ShipmentCancelled.type:
      return undefined;
  }
}

/** Every shipments.* event, a batch at a time. */
@MessageController()
export class ShipmentEventsHandler {
  constructor(private readonly orders: ApplyOrderEventService) {}

  @EventBatchPattern(consumer)
  onShipmentEvents(@Payload() events: Array<DeliveredEvent<ShipmentEvent>>): Promise<BatchOutcomes> {
    return this.orders.applyBatch(consumer.durable, events, effectOf);
  }
}
