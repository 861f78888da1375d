import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ShipmentCancelled, type EnvelopeOf } from '#contracts';
import { JetStreamContext, MessageController } from '#jetstream';
import { RefundPaymentService } from './refund-payment.service.js';

/** The message adapter of the refund-payment use case. */
@MessageController()
export class ShipmentCancelledHandler {
  constructor(private readonly refundPayment: RefundPaymentService) {}

  // `<string>`: Nest's typed overload would type the context argument as unknown.
  @EventPattern<string>(ShipmentCancelled.subject)
  async onShipmentCancelled(
    @Payload() event: EnvelopeOf<typeof ShipmentCancelled>,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.refundPayment.onShipmentCancelled(event, context);
  }
}
