import { EventPattern, Payload } from '@nestjs/microservices';
import {
  Consumers,
  PaymentFailed,
  PaymentInitiated,
  PaymentRefunded,
  PaymentSucceeded,
  PaymentVoided,
  type EnvelopeOf,
} from '#contracts';
import { MessageController } from '#jetstream';
import { ApplyOrderEventService } from './apply-order-event.service.js';

const consumer = Consumers.ordersOnPayments.durable;

/** Payment outcomes move the order: pending, then paid or failed; refunded or voided close a cancellation. */
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

  @EventPattern(PaymentRefunded.subject)
  async onRefunded(@Payload() event: EnvelopeOf<typeof PaymentRefunded>): Promise<void> {
    await this.orders.apply(consumer, event, 'PAYMENT_REFUNDED', `refunded: ${event.payload.refundReference}`);
  }

  @EventPattern(PaymentVoided.subject)
  async onVoided(@Payload() event: EnvelopeOf<typeof PaymentVoided>): Promise<void> {
    await this.orders.apply(consumer, event, 'PAYMENT_VOIDED', `nothing to refund: payment ${event.payload.paymentStatus}`);
  }
}
