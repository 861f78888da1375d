import { z } from 'zod';
import { commonEnvSchema } from '#config';
import { paymentFaultsEnvShape } from './faults/payment-faults.js';

export const paymentsEnvSchema = commonEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Share of charges the mock gateway captures; the rest it declines. */
  PAYMENT_SUCCESS_RATE: z.coerce.number().min(0).max(1).default(0.9),
  /**
   * Share of charge attempts that fail with a gateway error (a timeout, a 503):
   * a transient failure, retried; after the last delivery the payment fails.
   */
  PAYMENT_GATEWAY_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
  /** A charge that takes longer counts as a gateway error (and is retried). */
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Simulated gateway round trip. */
  PAYMENT_LATENCY_MS: z.coerce.number().int().min(0).default(20),
  /** Same seed, same decisions: a run can be reproduced. */
  PAYMENT_SEED: z.string().min(1).default('order-pipeline'),
  /** TEST-ONLY fault injection (FAULT_*), off by default: see faults/payment-faults.ts. */
  ...paymentFaultsEnvShape,
});

export type PaymentsEnv = z.infer<typeof paymentsEnvSchema>;
