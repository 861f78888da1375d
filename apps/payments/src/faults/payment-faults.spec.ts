import { describe, it, expect } from '@jest/globals';
import { paymentsEnvSchema } from '../payments-env.js';
import { PaymentFaults } from './payment-faults.js';

const required = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db' };

describe('test-only fault injection in the payments configuration', () => {
  it('is off by default', () => {
    const env = paymentsEnvSchema.parse(required);
    expect(env.FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT).toBe(false);
    expect(env.FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH).toBe(0);
  });

  it('reads the faults when set', () => {
    const env = paymentsEnvSchema.parse({ ...required, FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'true', FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: '15' });
    expect(env.FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT).toBe(true);
    expect(env.FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH).toBe(15);
  });

  it.each([
    [{ FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'yes' }],
    [{ FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: '0.5' }],
    [{ FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: '-1' }],
    [{ FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: 'often' }],
  ])('refuses %j', (fault) => {
    expect(paymentsEnvSchema.safeParse({ ...required, ...fault }).success).toBe(false);
  });
});

describe('PaymentFaults', () => {
  const settledWithin = (promise: Promise<unknown>, ms: number) =>
    Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

  it('does nothing when off, even on the last delivery', async () => {
    const faults = new PaymentFaults({ hangOnLastAttempt: false });
    expect(await settledWithin(faults.beforeCharge('o', { deliveryCount: 3, isLastAttempt: true }), 50)).toBe(true);
  });

  it('hangs only on the last delivery when on', async () => {
    const faults = new PaymentFaults({ hangOnLastAttempt: true });
    expect(await settledWithin(faults.beforeCharge('o', { deliveryCount: 1, isLastAttempt: false }), 50)).toBe(true);
    expect(await settledWithin(faults.beforeCharge('o', { deliveryCount: 3, isLastAttempt: true }), 50)).toBe(false);
  });
});
