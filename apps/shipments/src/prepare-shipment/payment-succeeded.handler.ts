import { EventPattern, Payload } from '@nestjs/microservices';
import { PaymentSucceeded, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { PrepareShipmentService } from './prepare-shipment.service.js';

/** The message adapter of the prepare-shipment use case. */
@MessageController()
export class PaymentSucceededHandler {
  constructor(private readonly prepareShipment: PrepareShipmentService) {}

  @EventPattern(PaymentSucceeded.subject)
  async onPaymentSucceeded(@Payload() event: EnvelopeOf<typeof PaymentSucceeded>): Promise<void> {
    await this.prepareShipment.prepare(event);
  }
}
