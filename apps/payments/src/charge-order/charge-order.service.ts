import { Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  Consumers,
  InventoryReserved,
  PaymentFailed,
  PaymentInitiated,
  PaymentSucceeded,
  PaymentVoided,
  type EnvelopeOf,
} from '#contracts';
import { PaymentStatus, assertOneRowUpdated, type Payment } from '#database';
import type { JetStreamContext } from '#jetstream';
import { IdempotentBatchConsumer, UnitsOfWork, causedBy, newEvent, type ApplyOutcome, type UnitOfWork } from '#messaging';
import { paymentsSettled } from '#metrics';
import { logEvent } from '#telemetry';
import { PaymentFaults } from '../faults/payment-faults.js';
import { changePayments, insertPaymentsIfNone, paymentsById, paymentsOfOrders } from '../payment-rows.js';
import { GatewayUnavailableError, MockPaymentGateway, type ChargeResult } from '../gateway/mock-payment-gateway.js';
import { RefundPaymentService } from '../refund-payment/refund-payment.service.js';

type ReservedOrderEvent = EnvelopeOf<typeof InventoryReserved>;

/** The gateway step's answer when another delivery of the same event applied it meanwhile. */
const APPLIED_ELSEWHERE = Symbol('applied by another delivery of the event');

/** What the charge step needs to know about the delivery it runs in. */
type DeliveryAttempt = Pick<JetStreamContext, 'deliveryCount' | 'isLastAttempt' | 'keepAlive'>;

/** The gateway's answer, or our giving up on it after the last delivery. */
type Settlement = ChargeResult | { outcome: 'failed'; reason: string };

const SETTLED_STATUS = {
  captured: PaymentStatus.SUCCEEDED,
  declined: PaymentStatus.DECLINED,
  failed: PaymentStatus.FAILED,
} as const;

/**
 * Charges an order whose stock is reserved (inventory.reserved) exactly once, in three steps, because the gateway call
 * must not run inside a database transaction:
 *  1. open the payment (PENDING, one per order) and emit payments.initiated;
 *  2. charge the gateway with the payment id as idempotency key;
 *  3. settle the payment and emit payments.succeeded or payments.failed,
 *     recording the event in the inbox in the same transaction.
 * Steps 1 and 3 are units of work: the messages being charged at the same
 * moment open and settle their payments in shared transactions (group commit).
 * A crash anywhere re-runs the steps on redelivery: step 1 finds the open
 * payment, step 2 gets the gateway's first answer again, step 3 settles once.
 *
 * An order cancelled meanwhile (payments heard shipments.cancelled while the
 * payment was PENDING) is settled all the same, then a capture is refunded at
 * once and anything else is confirmed as voided: the customer never stays
 * charged for a cancelled order. An order cancelled before step 1 has a
 * CANCELLED payment already, and nothing is charged.
 */
@Injectable()
export class ChargeOrderService {
  private readonly logger = new Logger(ChargeOrderService.name);
  private readonly consumer = Consumers.paymentsOnInventoryReserved.durable;

  constructor(
    private readonly unitsOfWork: UnitsOfWork,
    private readonly idempotent: IdempotentBatchConsumer,
    private readonly gateway: MockPaymentGateway,
    private readonly faults: PaymentFaults,
    private readonly refunds: RefundPaymentService,
  ) {}

  async charge(event: ReservedOrderEvent, delivery: DeliveryAttempt): Promise<ApplyOutcome> {
    const { payment, appliedBefore } = await this.openPayment(event);
    // A redelivery after a crash between capture and refund finds the refund still due.
    let refundDue = payment.status === PaymentStatus.SUCCEEDED && payment.cancelRequestedAt !== null;
    if (appliedBefore) {
      // Applied by this message before, or by a copy of the event under another msg id: nothing to charge.
      this.idempotent.reportDuplicate(this.consumer, event);
      if (refundDue) await this.refunds.refundIfCancelled(payment.id, delivery, causedBy(event));
      return 'duplicate';
    }
    const needsCharge = payment.status === PaymentStatus.PENDING;
    // Test-only, a no-op unless a FAULT_* is set. Only where a charge is still
    // due: a late redelivery of a settled order is skipped, never hung.
    if (needsCharge) await this.faults.beforeCharge(event.payload.orderId, delivery);
    const result = needsCharge ? await this.callGateway(payment, event, delivery) : undefined;
    // Counted as a duplicate where it was found out.
    if (result === APPLIED_ELSEWHERE) return 'duplicate';
    const outcome = await this.idempotent.apply(this.consumer, event, async (_event, uow) => {
      if (!result) return;
      refundDue = await this.settle(uow, payment, result, event, result.outcome);
    });
    // Only then: a cancellation committed after the settlement sees the capture and refunds it itself.
    if (refundDue) await this.refunds.refundIfCancelled(payment.id, delivery, causedBy(event));
    return outcome;
  }

  private recordResult(payment: Payment, outcome: Settlement['outcome'], note: string): void {
    logEvent(this.logger, 'PAYMENT_RESULT', { orderId: payment.orderId, outcome, amountCents: payment.amountCents }, `order ${payment.orderId}: ${note}`);
    paymentsSettled.inc({ outcome: outcome === 'captured' ? 'succeeded' : 'failed' });
  }

  /**
   * A gateway error is transient: it is thrown, and the message is retried.
   * On the last delivery the payment fails instead (the order becomes FAILED
   * with the reason), and the error is still thrown so that the server
   * dead-letters the message for an operator to see; the dead-letter office
   * records it RESOLVED, since the inbox holds the event.
   *
   * Unless another delivery of the same event (a copy under a new msg id)
   * applied it meanwhile: then this delivery is done, not failed
   * (APPLIED_ELSEWHERE), and is acknowledged as a duplicate. A dead letter
   * must mean work left undone.
   */
  private async callGateway(payment: Payment, event: ReservedOrderEvent, delivery: DeliveryAttempt): Promise<ChargeResult | typeof APPLIED_ELSEWHERE> {
    try {
      return await delivery.keepAlive(
        this.gateway.charge({
          idempotencyKey: payment.id,
          amountCents: payment.amountCents,
          customerId: event.payload.customerId,
          attempt: delivery.deliveryCount,
        }),
      );
    } catch (error) {
      if (error instanceof GatewayUnavailableError && delivery.isLastAttempt) {
        const outcome = await this.idempotent.apply(this.consumer, event, async (_event, uow) => {
          const failure = { outcome: 'failed', reason: `gateway_unavailable: ${error.message}` } as const;
          await this.settle(uow, payment, failure, event, `failed after ${delivery.deliveryCount} attempts`);
        });
        if (outcome === 'duplicate') return APPLIED_ELSEWHERE; // apply counted it
      } else if (await this.idempotent.isApplied(this.consumer, event)) {
        this.idempotent.reportDuplicate(this.consumer, event);
        return APPLIED_ELSEWHERE;
      }
      throw error;
    }
  }

  /** The order's payment, opened (PENDING, payments.initiated) unless it is there; and whether the inbox holds the event already. */
  private openPayment(event: ReservedOrderEvent): Promise<{ payment: Payment; appliedBefore: boolean }> {
    const { orderId, totalCents } = event.payload;
    return this.unitsOfWork.run(async (uow) => {
      const [appliedBefore, opened] = await Promise.all([
        this.idempotent.appliedBefore(uow, this.consumer, event),
        uow.write(insertPaymentsIfNone, { id: uuidv7(), orderId, amountCents: totalCents, status: PaymentStatus.PENDING }),
      ]);
      // A redelivery, or an order cancelled first (its payment is CANCELLED).
      if (!opened) return { payment: (await uow.read(paymentsOfOrders, orderId))!, appliedBefore };
      uow.emit([newEvent(PaymentInitiated, opened.id, { paymentId: opened.id, orderId, amountCents: totalCents }, causedBy(event))]);
      return { payment: opened, appliedBefore };
    });
  }

  /**
   * Settles a PENDING payment and reports it (`note`) after the commit; true
   * when it was captured for an order cancelled meanwhile (a refund is due).
   */
  private async settle(uow: UnitOfWork, payment: Payment, result: Settlement, cause: ReservedOrderEvent, note: string): Promise<boolean> {
    const current = (await uow.read(paymentsById, payment.id))!;
    // A concurrent delivery settled it first; its inbox row makes ours a duplicate anyway.
    if (current.status !== PaymentStatus.PENDING) return false;
    const captured = result.outcome === 'captured';
    const changed = await uow.write(changePayments, {
      payment: current,
      changes: {
        status: SETTLED_STATUS[result.outcome],
        gatewayReference: captured ? result.reference : null,
        declineReason: captured ? null : result.reason,
      },
    });
    assertOneRowUpdated(changed ? 1 : 0, `payment ${current.id}`);
    uow.afterCommit(() => this.recordResult(payment, result.outcome, note));
    const base = { paymentId: current.id, orderId: current.orderId, amountCents: current.amountCents };
    uow.emit([
      captured
        ? newEvent(PaymentSucceeded, current.id, { ...base, gatewayReference: result.reference }, causedBy(cause))
        : newEvent(PaymentFailed, current.id, { ...base, reason: result.reason }, causedBy(cause)),
      // Cancelled while being charged, and nothing was taken: that closes the cancellation.
      ...(current.cancelRequestedAt && !captured
        ? [
            newEvent(
              PaymentVoided,
              current.id,
              { paymentId: current.id, orderId: current.orderId, paymentStatus: SETTLED_STATUS[result.outcome] },
              causedBy(cause),
            ),
          ]
        : []),
    ]);
    return captured && current.cancelRequestedAt !== null;
  }
}
