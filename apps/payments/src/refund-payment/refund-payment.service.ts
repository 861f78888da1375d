import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, PaymentRefunded, PaymentVoided, ShipmentCancelled, type EnvelopeOf } from '#contracts';
import { PaymentStatus, SqlDatabase, VersionConflictError, assertOneRowUpdated, type Payment } from '#database';
import type { JetStreamContext } from '#jetstream';
import { IdempotentBatchConsumer, UnitsOfWork, causedBy, newEvent, type ApplyOutcome, type EventCause, type UnitOfWork } from '#messaging';
import { logEvent } from '#telemetry';
import { changePayments, findPayment, insertPaymentsIfNone, paymentsById, paymentsOfOrders } from '../payment-rows.js';
import { MockPaymentGateway, type RefundResult } from '../gateway/mock-payment-gateway.js';

type ShipmentCancelledEvent = EnvelopeOf<typeof ShipmentCancelled>;

/** What the refund step needs to know about the delivery it runs in. */
export type RefundDelivery = Pick<JetStreamContext, 'deliveryCount' | 'keepAlive'>;

/** Statuses in which nothing was taken from the customer: a cancellation is confirmed as void. */
const NEVER_CHARGED: readonly PaymentStatus[] = [PaymentStatus.DECLINED, PaymentStatus.FAILED];

/**
 * Settles the money of a cancelled order once shipments has stopped its
 * parcel (shipments.cancelled), in three steps like a charge, because the
 * gateway call must not run inside a database transaction:
 *  1. record the cancellation on the payment (`cancel_requested_at`). No
 *     payment yet: a CANCELLED one is written, so that orders.created arriving
 *     later charges nothing. Declined or failed: nothing to give back, emit
 *     payments.voided. Still PENDING (a charge in flight): the charge refunds
 *     right after it captures (see refundIfCancelled);
 *  2. refund a SUCCEEDED payment at the gateway, the payment id as idempotency
 *     key (a gateway error is thrown and the message retried, as for charges);
 *  3. mark it REFUNDED and emit payments.refunded, recording the event in the
 *     inbox in the same transaction.
 * Step 1 changes only what it has not changed before and step 3 only a
 * SUCCEEDED payment (version-checked), so a redelivery, or the charge and the
 * cancellation racing, refunds once and emits one event.
 */
@Injectable()
export class RefundPaymentService {
  private readonly logger = new Logger(RefundPaymentService.name);
  private readonly consumer = Consumers.paymentsOnShipmentCancelled.durable;

  constructor(
    private readonly db: SqlDatabase,
    private readonly unitsOfWork: UnitsOfWork,
    private readonly idempotent: IdempotentBatchConsumer,
    private readonly gateway: MockPaymentGateway,
  ) {}

  async onShipmentCancelled(event: ShipmentCancelledEvent, delivery: RefundDelivery): Promise<ApplyOutcome> {
    const payment = await this.unitsOfWork.run((uow) => this.recordCancellation(uow, event));
    const refund = payment.status === PaymentStatus.SUCCEEDED ? await this.callGateway(payment, delivery) : undefined;
    return this.idempotent.apply(this.consumer, event, async (_event, uow) => {
      if (refund) await this.markRefunded(uow, payment.id, refund, causedBy(event));
    });
  }

  /**
   * For the charge step: a payment whose order was cancelled while it was
   * being charged is refunded as soon as it is captured. The charge calls it
   * when its settlement found the cancellation, or when a redelivery finds
   * the payment captured and cancelled (a crash between capture and refund);
   * it reads the payment again, so a refund already made is not repeated.
   */
  async refundIfCancelled(paymentId: string, delivery: RefundDelivery, cause: EventCause): Promise<void> {
    const payment = await findPayment(this.db, paymentId);
    if (payment.status !== PaymentStatus.SUCCEEDED || !payment.cancelRequestedAt) return;
    const refund = await this.callGateway(payment, delivery);
    await this.unitsOfWork.run((uow) => this.markRefunded(uow, payment.id, refund, cause));
  }

  private async recordCancellation(uow: UnitOfWork, event: ShipmentCancelledEvent): Promise<Payment> {
    const { orderId } = event.payload;
    const payment = await uow.read(paymentsOfOrders, orderId);
    if (!payment) {
      // Never charged and never will be: orders.created finds this row and stops.
      const voided = await uow.write(insertPaymentsIfNone, {
        id: uuidv7(),
        orderId,
        amountCents: 0,
        status: PaymentStatus.CANCELLED,
        cancelRequestedAt: new Date(),
      });
      // orders.created opened one meanwhile: decide again on it.
      if (!voided) throw new VersionConflictError(`payment of order ${orderId}`);
      this.emitVoided(uow, voided, event);
      return voided;
    }
    if (payment.cancelRequestedAt) return payment;
    const cancelRequestedAt = new Date();
    assertOneRowUpdated((await uow.write(changePayments, { payment, changes: { cancelRequestedAt } })) ? 1 : 0, `payment ${payment.id}`);
    if (NEVER_CHARGED.includes(payment.status)) this.emitVoided(uow, payment, event);
    return { ...payment, cancelRequestedAt, version: payment.version + 1 };
  }

  private emitVoided(uow: UnitOfWork, payment: Payment, cause: ShipmentCancelledEvent): void {
    uow.emit([
      newEvent(
        PaymentVoided,
        payment.id,
        { paymentId: payment.id, orderId: payment.orderId, paymentStatus: payment.status },
        causedBy(cause),
      ),
    ]);
    uow.afterCommit(() =>
      logEvent(this.logger, 'PAYMENT_RESULT', { orderId: payment.orderId, outcome: 'voided', paymentStatus: payment.status }, `order ${payment.orderId}: voided (${payment.status})`),
    );
  }

  private callGateway(payment: Payment, delivery: RefundDelivery): Promise<RefundResult> {
    return delivery.keepAlive(
      this.gateway.refund({
        idempotencyKey: payment.id,
        captureReference: payment.gatewayReference!,
        amountCents: payment.amountCents,
        attempt: delivery.deliveryCount,
      }),
    );
  }

  private async markRefunded(uow: UnitOfWork, paymentId: string, refund: RefundResult, cause: EventCause): Promise<void> {
    const current = (await uow.read(paymentsById, paymentId))!;
    // Refunded by the other path (charge or cancellation) first: nothing more to do.
    if (current.status !== PaymentStatus.SUCCEEDED) return;
    const changed = await uow.write(changePayments, { payment: current, changes: { status: PaymentStatus.REFUNDED, refundReference: refund.reference } });
    assertOneRowUpdated(changed ? 1 : 0, `payment ${current.id}`);
    uow.emit([
      newEvent(
        PaymentRefunded,
        current.id,
        {
          paymentId: current.id,
          orderId: current.orderId,
          amountCents: current.amountCents,
          gatewayReference: current.gatewayReference!,
          refundReference: refund.reference,
        },
        cause,
      ),
    ]);
    uow.afterCommit(() =>
      logEvent(this.logger, 'PAYMENT_RESULT', { orderId: current.orderId, outcome: 'refunded', amountCents: current.amountCents }, `order ${current.orderId}: refunded ${refund.reference}`),
    );
  }
}
