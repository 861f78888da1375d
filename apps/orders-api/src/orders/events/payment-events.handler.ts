import { EventPattern, Payload } from '@nestjs/microservices';
import { Consumers, PaymentFailed, PaymentInitiated, PaymentSucceeded, type EnvelopeOf } from '#contracts';
import { MessageController } from '#jetstream';
import { ApplyOrderEventService } from './apply-order-event.service.js';

const consumer = Consumers.ordersOnPayments.durable;

/** Payment outcomes move the order: pending, then paid or failed. */
@MessageController()
export class PaymentEventsHandler {
  constructor(private readonly orders: ApplyOrderEventService) {}

  @EventPattern(PaymentInitiated.subject)
  async onInitiated(@Payload() event: EnvelopeOf<typeof PaymentInitiated>): Promise<void> {
    await this.orders.apply(consumer, event, 'PAYMENT_INITIATED');
  }

  @EventPattern(PaymentSucceeded.subject)
  async onSucceeded(@Payload() event: EnvelopeOf<typeof PaymentSucceeded>): Promise<void> {
    await this.orders.apply(consumer, event, 'PAYMENT_SUCCEEDED');
  }

  @EventPattern(PaymentFailed.subject)
  async onFailed(@Payload() event: EnvelopeOf<typeof PaymentFailed>): Promise<void> {
    await this.orders.apply(consumer, event, 'PAYMENT_FAILED', `payment failed: ${event.payload.reason}`);
  }
}
