import { EventPattern, Payload } from '@nestjs/microservices';
import { ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { DispatchShipmentService } from './dispatch-shipment.service.js';

/** The message adapter of the dispatch-shipment use case. */
@MessageController()
export class ShipmentPreparedHandler {
  constructor(private readonly dispatchShipment: DispatchShipmentService) {}

  @EventPattern(ShipmentPrepared.subject)
  async onShipmentPrepared(@Payload() event: EnvelopeOf<typeof ShipmentPrepared>): Promise<void> {
    await this.dispatchShipment.dispatch(event);
  }
}
