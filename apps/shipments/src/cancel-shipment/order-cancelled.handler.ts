import { EventPattern, Payload } from '@nestjs/microservices';
import { OrderCancelled, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { CancelShipmentService } from './cancel-shipment.service.js';

/** The message adapter of the cancel-shipment use case. */
@MessageController()
export class OrderCancelledHandler {
  constructor(private readonly cancelShipment: CancelShipmentService) {}

  @EventPattern(OrderCancelled.subject)
  async onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>): Promise<void> {
    await this.cancelShipment.cancel(event);
  }
}
