import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ShipmentPrepared, type EnvelopeOf } from '#contracts';
import { JetStreamContext, MessageController } from '#jetstream';
import { DispatchShipmentService } from './dispatch-shipment.service.js';

/** The message adapter of the dispatch-shipment use case. */
@MessageController()
export class ShipmentPreparedHandler {
  constructor(private readonly dispatchShipment: DispatchShipmentService) {}

  // `<string>`: Nest's typed overload would type the context argument as unknown.
  @EventPattern<string>(ShipmentPrepared.subject)
  async onShipmentPrepared(
    @Payload() event: EnvelopeOf<typeof ShipmentPrepared>,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.dispatchShipment.dispatch(event, context);
  }
}
