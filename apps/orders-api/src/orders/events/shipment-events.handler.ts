import { EventPattern, Payload } from '@nestjs/microservices';
import { Consumers, ShipmentCancelled, ShipmentDispatched, ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { ApplyOrderEventService } from './apply-order-event.service.js';

const consumer = Consumers.ordersOnShipments.durable;

/** Shipment progress moves a paid order to prepared, then shipped. */
@MessageController()
export class ShipmentEventsHandler {
  constructor(private readonly orders: ApplyOrderEventService) {}

  @EventPattern(ShipmentPrepared.subject)
  async onPrepared(@Payload() event: EnvelopeOf<typeof ShipmentPrepared>): Promise<void> {
    await this.orders.apply(consumer, event, 'SHIPMENT_PREPARED');
  }

  @EventPattern(ShipmentDispatched.subject)
  async onDispatched(@Payload() event: EnvelopeOf<typeof ShipmentDispatched>): Promise<void> {
    await this.orders.apply(consumer, event, 'SHIPMENT_DISPATCHED');
  }

  /**
   * Moves nothing: the cancellation closes on payments.refunded or
   * payments.voided, which payments emits after this. Handled (and so
   * acknowledged) only because this consumer reads all of shipments.>.
   */
  @EventPattern(ShipmentCancelled.subject)
  onCancelled(@Payload() _event: EnvelopeOf<typeof ShipmentCancelled>): void {}
}
