import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Consumers, PaymentRefunded, PaymentVoided, ShipmentCancelled, type EnvelopeOf } from '#contracts';
import {
  PaymentStatus,
  SqlDatabase,
  VersionConflictError,
  afterCommit,
  assertOneRowUpdated,
  withVersionRetry,
  type Payment,
  type SqlClient,
} from '#database';
import type { JetStreamContext } from '#jetstream';
import { IdempotentConsumer, OutboxWriter, causedBy, newEvent, type ApplyOutcome, type EventCause } from '#messaging';
import { logEvent } from '#telemetry';
import { findPayment, findPaymentOfOrder, insertPaymentIfNone, updatePayment } from '../payment-rows.js';
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
    private readonly outbox: OutboxWriter,
    private readonly idempotent: IdempotentConsumer,
    private readonly gateway: MockPaymentGateway,
  ) {}

  async onShipmentCancelled(event: ShipmentCancelledEvent, delivery: RefundDelivery): Promise<ApplyOutcome> {
    const payment = await withVersionRetry(() => this.db.$transaction((tx) => this.recordCancellation(tx, event)));
    const refund = payment.status === PaymentStatus.SUCCEEDED ? await this.callGateway(payment, delivery) : undefined;
    return this.idempotent.apply(this.consumer, event, (tx) =>
      refund ? this.markRefunded(tx, payment.id, refund, causedBy(event)) : Promise.resolve(),
    );
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
    await withVersionRetry(() => this.db.$transaction((tx) => this.markRefunded(tx, payment.id, refund, cause)));
  }

  private async recordCancellation(tx: SqlClient, event: ShipmentCancelledEvent): Promise<Payment> {
    const { orderId } = event.payload;
    const payment = await findPaymentOfOrder(tx, orderId);
    if (!payment) {
      // Never charged and never will be: orders.created finds this row and stops.
      const voided = await insertPaymentIfNone(tx, {
        id: uuidv7(),
        orderId,
        amountCents: 0,
        status: PaymentStatus.CANCELLED,
        cancelRequestedAt: new Date(),
      });
      // orders.created opened one meanwhile: decide again on it.
      if (!voided) throw new VersionConflictError(`payment of order ${orderId}`);
      await this.emitVoided(tx, voided, event);
      return voided;
    }
    if (payment.cancelRequestedAt) return payment;
    const cancelRequestedAt = new Date();
    assertOneRowUpdated(await updatePayment(tx, payment, { cancelRequestedAt }), `payment ${payment.id}`);
    if (NEVER_CHARGED.includes(payment.status)) await this.emitVoided(tx, payment, event);
    return { ...payment, cancelRequestedAt, version: payment.version + 1 };
  }

  private async emitVoided(tx: SqlClient, payment: Payment, cause: ShipmentCancelledEvent): Promise<void> {
    await this.outbox.add(tx, [
      newEvent(
        PaymentVoided,
        payment.id,
        { paymentId: payment.id, orderId: payment.orderId, paymentStatus: payment.status },
        causedBy(cause),
      ),
    ]);
    afterCommit(tx, () =>
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

  private async markRefunded(tx: SqlClient, paymentId: string, refund: RefundResult, cause: EventCause): Promise<void> {
    const current = await findPayment(tx, paymentId);
    // Refunded by the other path (charge or cancellation) first: nothing more to do.
    if (current.status !== PaymentStatus.SUCCEEDED) return;
    const count = await updatePayment(tx, current, { status: PaymentStatus.REFUNDED, refundReference: refund.reference });
    assertOneRowUpdated(count, `payment ${current.id}`);
    await this.outbox.add(tx, [
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
    afterCommit(tx, () =>
      logEvent(this.logger, 'PAYMENT_RESULT', { orderId: current.orderId, outcome: 'refunded', amountCents: current.amountCents }, `order ${current.orderId}: refunded ${refund.reference}`),
    );
  }
}
