import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  Consumers,
  OrderCreated,
  PaymentFailed,
  PaymentInitiated,
  PaymentSucceeded,
  type EnvelopeOf,
} from '#contracts';
import { PaymentStatus, PrismaService, assertOneRowUpdated, type Payment, type TransactionClient } from '#database';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome } from '#messaging';
import { MockPaymentGateway, type ChargeResult } from '../gateway/mock-payment-gateway.js';

type OrderCreatedEvent = EnvelopeOf<typeof OrderCreated>;

/**
 * Charges a new order exactly once, in three steps, because the gateway call
 * must not run inside a database transaction:
 *  1. open the payment (PENDING, one per order) and emit payments.initiated;
 *  2. charge the gateway with the payment id as idempotency key;
 *  3. settle the payment and emit payments.succeeded or payments.failed,
 *     recording the event in the inbox in the same transaction.
 * A crash anywhere re-runs the steps on redelivery: step 1 finds the open
 * payment, step 2 gets the gateway's first answer again, step 3 settles once.
 */
@Injectable()
export class ChargeOrderService {
  private readonly logger = new Logger(ChargeOrderService.name);
  private readonly consumer = Consumers.paymentsOnOrderCreated.durable;

  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
    private readonly idempotent: IdempotentConsumer,
    private readonly gateway: MockPaymentGateway,
  ) {}

  async charge(event: OrderCreatedEvent): Promise<ApplyOutcome> {
    const payment = await this.openPayment(event);
    const result =
      payment.status === PaymentStatus.PENDING
        ? await this.gateway.charge({
            idempotencyKey: payment.id,
            amountCents: payment.amountCents,
            customerId: event.payload.customerId,
          })
        : undefined;
    const outcome = await this.idempotent.apply<TransactionClient>(this.consumer, event, (tx) =>
      result ? this.settle(tx, payment.id, result, event) : Promise.resolve(),
    );
    if (outcome === 'duplicate') this.logger.log(`DUPLICATE_EVENT ${event.type} ${event.id}`);
    else if (result) this.logger.log(`PAYMENT_RESULT order=${payment.orderId} ${result.outcome}`);
    return outcome;
  }

  private openPayment(event: OrderCreatedEvent): Promise<Payment> {
    const { orderId, totalCents } = event.payload;
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.payment.findUnique({ where: { orderId } });
      if (existing) return existing;
      const payment = await tx.payment.create({
        data: { id: uuidv7(), orderId, amountCents: totalCents, status: PaymentStatus.PENDING },
      });
      await this.outbox.add(tx, [
        newEvent(PaymentInitiated, payment.id, { paymentId: payment.id, orderId, amountCents: totalCents }, causedBy(event)),
      ]);
      return payment;
    });
  }

  private async settle(tx: TransactionClient, paymentId: string, result: ChargeResult, cause: OrderCreatedEvent) {
    const current = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    // A concurrent delivery settled it first; its inbox row makes ours a duplicate anyway.
    if (current.status !== PaymentStatus.PENDING) return;
    const captured = result.outcome === 'captured';
    const { count } = await tx.payment.updateMany({
      where: { id: current.id, version: current.version },
      data: {
        status: captured ? PaymentStatus.SUCCEEDED : PaymentStatus.DECLINED,
        gatewayReference: captured ? result.reference : null,
        declineReason: captured ? null : result.reason,
        version: { increment: 1 },
      },
    });
    assertOneRowUpdated(count, `payment ${current.id}`);
    const base = { paymentId: current.id, orderId: current.orderId, amountCents: current.amountCents };
    await this.outbox.add(tx, [
      captured
        ? newEvent(PaymentSucceeded, current.id, { ...base, gatewayReference: result.reference }, causedBy(cause))
        : newEvent(PaymentFailed, current.id, { ...base, reason: result.reason }, causedBy(cause)),
    ]);
  }
}
