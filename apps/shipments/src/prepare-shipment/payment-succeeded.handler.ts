import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PaymentSucceeded, type EnvelopeOf } from '#contracts';
import { JetStreamContext, MessageController } from '#jetstream';
import { PrepareShipmentService } from './prepare-shipment.service.js';

/** The message adapter of the prepare-shipment use case. */
@MessageController()
export class PaymentSucceededHandler {
  constructor(private readonly prepareShipment: PrepareShipmentService) {}

  // `<string>`: Nest's typed overload would type the context argument as unknown.
  @EventPattern<string>(PaymentSucceeded.subject)
  async onPaymentSucceeded(
    @Payload() event: EnvelopeOf<typeof PaymentSucceeded>,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.prepareShipment.prepare(event, context);
  }
}
