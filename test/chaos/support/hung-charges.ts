import { HANG_MARKER } from '../../../apps/payments/src/faults/payment-faults.js';
import type { ScenarioOptions } from './scenario.js';

/**
 * Scenario settings for a payments service whose charges hang on their last
 * delivery (FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT); 30 % gateway errors, so
 * that some charges get that far.
 */
export const HANGING_PAYMENTS = {
  paymentGatewayErrorRate: 0.3,
  env: {
    payments: {
      FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'true',
      // Short, so the hung deliveries are given up soon.
      CONSUMER_ACK_WAIT_MS: '2000',
      // Hung handlers keep their slot for good; enough slots that they never starve the rest.
      CONSUMER_CONCURRENCY: '128',
    },
  },
} satisfies Partial<ScenarioOptions>;

/** Orders whose charge hung, as the payments service logged them, each once. */
export function hungOrders(paymentsLog: string): string[] {
  return [...new Set([...paymentsLog.matchAll(new RegExp(`${HANG_MARKER} order=([0-9a-f-]{36})`, 'g'))].map((match) => match[1]!))];
}
