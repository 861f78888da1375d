import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InventoryReserved, type EnvelopeOf } from '#contracts';
import { JetStreamContext, MessageController } from '#jetstream';
import { ChargeOrderService } from './charge-order.service.js';

/** The message adapter of the charge-order use case: an order is charged once its stock is held. */
@MessageController()
export class InventoryReservedHandler {
  constructor(private readonly chargeOrder: ChargeOrderService) {}

  // `<string>`: Nest's typed overload would type the context argument as unknown.
  @EventPattern<string>(InventoryReserved.subject)
  async onInventoryReserved(
    @Payload() event: EnvelopeOf<typeof InventoryReserved>,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.chargeOrder.charge(event, context);
  }
}
