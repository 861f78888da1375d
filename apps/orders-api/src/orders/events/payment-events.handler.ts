import { Payload } from '@nestjs/microservices';
import { Consumers, PaymentFailed, PaymentInitiated, PaymentRefunded, PaymentSucceeded, PaymentVoided, type EnvelopeOf } from '#contracts';
import { EventBatchPattern, MessageController, type BatchOutcomes, type DeliveredEvent } from '#jetstream';
import { ApplyOrderEventService, type OrderEffect } from './apply-order-event.service.js';

const consumer = Consumers.ordersOnPayments;

type PaymentEvent =
  | EnvelopeOf<typeof PaymentInitiated>
  | EnvelopeOf<typeof PaymentSucceeded>
  | EnvelopeOf<typeof PaymentFailed>
  | EnvelopeOf<typeof PaymentRefunded>
  | EnvelopeOf<typeof PaymentVoided>;

/** Payment outcomes move the order: pending, then paid or failed; refunded or voided close a cancellation. */
function effectOf(event: PaymentEvent): OrderEffect {
  switch (event.type) {
    case PaymentInitiated.type:
      return { trigger: 'PAYMENT_INITIATED' };
    case PaymentSucceeded.type:
      return { trigger: 'PAYMENT_SUCCEEDED' };
    case PaymentFailed.type:
      return { trigger: 'PAYMENT_FAILED', reason: `payment failed: ${(event as EnvelopeOf<typeof PaymentFailed>).payload.reason}` };
    case PaymentRefunded.type:
      return { trigger: 'PAYMENT_REFUNDED', reason: `refunded: ${(event as EnvelopeOf<typeof PaymentRefunded>).payload.refundReference}` };
    default:
      return { trigger: 'PAYMENT_VOIDED', reason: `nothing to refund: payment ${(event as EnvelopeOf<typeof PaymentVoided>).payload.paymentStatus}` };
  }
}

/** Every payments.* event, a batch at a time. */
@MessageController()
export class PaymentEventsHandler {
  constructor(private readonly orders: ApplyOrderEventService) {}

  @EventBatchPattern(consumer)
  onPaymentEvents(@Payload() events: Array<DeliveredEvent<PaymentEvent>>): Promise<BatchOutcomes> {
    return this.orders.applyBatch(consumer.durable, events, effectOf);
  }
}
