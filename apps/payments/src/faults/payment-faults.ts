import { Logger } from '@nestjs/common';
import { z } from 'zod';
import type { JetStreamContext } from '#jetstream';

/**
 * TEST-ONLY fault injection for the payments service, used by the chaos tests
 * (test/chaos) to produce failures that are hard to cause from outside. Every
 * fault is off by default, named FAULT_* in the environment, and validated with
 * the rest of the configuration. Never set one in a deployment.
 */

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** The fault variables; payments-env.ts merges them into the service's schema. */
export const paymentFaultsEnvShape = {
  /**
   * On the last delivery of an orders.created message the handler never
   * returns and does not extend its lease (no `working()`): the server gives
   * up after ack-wait (CONSUMER_ACK_WAIT_MS) and emits MAX_DELIVERIES, so the
   * message is dead-lettered while the order stays PAYMENT_PENDING.
   */
  FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: flag.default(false),
} as const;

export interface PaymentFaultSettings {
  hangOnLastAttempt: boolean;
}

/** What a fault needs to know about the delivery it may interfere with. */
type Delivery = Pick<JetStreamContext, 'deliveryCount' | 'isLastAttempt'>;

/** Logged once per injected hang, so a test can tell which orders it hit. */
export const HANG_MARKER = 'FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT';

export class PaymentFaults {
  private readonly logger = new Logger('PaymentFaults');

  constructor(private readonly settings: PaymentFaultSettings = { hangOnLastAttempt: false }) {
    if (settings.hangOnLastAttempt) this.logger.warn(`${HANG_MARKER} is on: test-only fault injection`);
  }

  /** Called before the gateway is charged; returns at once unless a fault applies. */
  async beforeCharge(orderId: string, delivery: Delivery): Promise<void> {
    if (!this.settings.hangOnLastAttempt || !delivery.isLastAttempt) return;
    this.logger.warn(`${HANG_MARKER} order=${orderId} delivery=${delivery.deliveryCount}: hanging`);
    // A promise that never settles holds nothing that keeps the process alive
    // or extends the lease; the handler simply never returns.
    await new Promise<never>(() => {});
  }
}
