import { Payload } from '@nestjs/microservices';
import { Consumers, type EnvelopeOf, type PaymentFailed, type PaymentVoided, type ShipmentCancelled, type ShipmentDispatched } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { SettleReservationService } from './settle-reservation.service.js';

type Delivered<D> = Array<DeliveredEvent<EnvelopeOf<D>>>;

/** The message adapters of the settle-reservation use case: what releases an order's stock, and what commits it. */
@MessageController()
export class SettlementEventsHandler {
  constructor(private readonly reservations: SettleReservationService) {}

  @EventBatchPattern(Consumers.inventoryOnPaymentFailed)
  onPaymentFailed(@Payload() events: Delivered<typeof PaymentFailed>): Promise<BatchOutcomes> {
    return this.reservations.applyBatch(Consumers.inventoryOnPaymentFailed.durable, events, 'release');
  }

  @EventBatchPattern(Consumers.inventoryOnPaymentVoided)
  onPaymentVoided(@Payload() events: Delivered<typeof PaymentVoided>): Promise<BatchOutcomes> {
    return this.reservations.applyBatch(Consumers.inventoryOnPaymentVoided.durable, events, 'release');
  }

  @EventBatchPattern(Consumers.inventoryOnShipmentCancelled)
  onShipmentCancelled(@Payload() events: Delivered<typeof ShipmentCancelled>): Promise<BatchOutcomes> {
    return this.reservations.applyBatch(Consumers.inventoryOnShipmentCancelled.durable, events, 'release');
  }

  @EventBatchPattern(Consumers.inventoryOnShipmentDispatched)
  onShipmentDispatched(@Payload() events: Delivered<typeof ShipmentDispatched>): Promise<BatchOutcomes> {
    return this.reservations.applyBatch(Consumers.inventoryOnShipmentDispatched.durable, events, 'commit');
  }
}
