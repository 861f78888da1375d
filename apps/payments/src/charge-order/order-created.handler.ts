import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderCreated, type EnvelopeOf } from '#contracts';
import { JetStreamContext, MessageController } from '#jetstream';
import { ChargeOrderService } from './charge-order.service.js';

/** The message adapter of the charge-order use case. */
@MessageController()
export class OrderCreatedHandler {
  constructor(private readonly chargeOrder: ChargeOrderService) {}

  // `<string>`: Nest's typed overload would type the context argument as unknown.
  @EventPattern<string>(OrderCreated.subject)
  async onOrderCreated(
    @Payload() event: EnvelopeOf<typeof OrderCreated>,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.chargeOrder.charge(event, context);
  }
}
