import { EventPattern, Payload } from '@nestjs/microservices';
import { OrderCreated, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { ChargeOrderService } from './charge-order.service.js';

/** The message adapter of the charge-order use case. */
@MessageController()
export class OrderCreatedHandler {
  constructor(private readonly chargeOrder: ChargeOrderService) {}

  @EventPattern(OrderCreated.subject)
  async onOrderCreated(@Payload() event: EnvelopeOf<typeof OrderCreated>): Promise<void> {
    await this.chargeOrder.charge(event);
  }
}
