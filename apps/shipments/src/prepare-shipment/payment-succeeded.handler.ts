import { Payload } from '@nestjs/microservices';
import { Consumers, type EnvelopeOf, type PaymentSucceeded } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { PrepareShipmentService } from './prepare-shipment.service.js';

/** The message adapter of the prepare-shipment use case: payments.succeeded, a batch at a time. */
@MessageController()
export class PaymentSucceededHandler {
  constructor(private readonly prepareShipment: PrepareShipmentService) {}

  @EventBatchPattern(Consumers.shipmentsOnPaymentSucceeded)
  onPaymentsSucceeded(@Payload() events: Array<DeliveredEvent<EnvelopeOf<typeof PaymentSucceeded>>>): Promise<BatchOutcomes> {
    return this.prepareShipment.prepare(events);
  }
}
