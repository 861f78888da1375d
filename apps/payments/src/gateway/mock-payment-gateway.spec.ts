import { describe, it, expect } from '@jest/globals';
import { GatewayUnavailableError, MockPaymentGateway } from './mock-payment-gateway.js';

const keys = Array.from({ length: 1_000 }, (_, i) => `payment-${i}`);
const charge = (key: string, attempt = 1) => ({ idempotencyKey: key, amountCents: 100, customerId: `cust-${key}`, attempt });

describe('MockPaymentGateway', () => {
  it('gives the same answer for the same seed, customer and amount', async () => {
    const a = new MockPaymentGateway({ successRate: 0.5, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 's' });
    const b = new MockPaymentGateway({ successRate: 0.5, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 's' });
    for (const key of keys.slice(0, 50)) {
      expect(await a.charge(charge(key))).toEqual(
        await b.charge(charge(key)),
      );
    }
  });

  it('captures about the configured share of charges', async () => {
    const gateway = new MockPaymentGateway({ successRate: 0.7, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 'rate' });
    for (const key of keys) await gateway.charge(charge(key));
    expect(gateway.capturedCount / keys.length).toBeGreaterThan(0.65);
    expect(gateway.capturedCount / keys.length).toBeLessThan(0.75);
  });

  it('never captures a key twice', async () => {
    const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 'once' });
    const first = await gateway.charge(charge('k'));
    const again = await gateway.charge(charge('k'));
    expect(again).toEqual(first);
    expect(gateway.capturedCount).toBe(1);
  });

  it('declines everything at a success rate of 0', async () => {
    const gateway = new MockPaymentGateway({ successRate: 0, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 'none' });
    expect(await gateway.charge(charge('k'))).toEqual({
      outcome: 'declined',
      reason: 'card_declined',
    });
  });

  it('fails about the configured share of attempts with a transient error, drawn per attempt', async () => {
    const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0.3, timeoutMs: 1_000, latencyMs: 0, seed: 'errors' });
    let errors = 0;
    for (const key of keys) {
      await gateway.charge(charge(key)).catch((error: unknown) => {
        expect(error).toBeInstanceOf(GatewayUnavailableError);
        errors += 1;
      });
    }
    expect(errors / keys.length).toBeGreaterThan(0.25);
    expect(errors / keys.length).toBeLessThan(0.35);
    const outcome = (key: string, attempt: number) => gateway.charge(charge(key, attempt)).then(() => 'ok', () => 'error');
    const sample = keys.slice(0, 50);
    const first = await Promise.all(sample.map((key) => outcome(key, 2)));
    expect(await Promise.all(sample.map((key) => outcome(key, 2)))).toEqual(first);
  });

  it('never errors at an error rate of 0', async () => {
    const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 'fine' });
    for (const key of keys.slice(0, 100)) await expect(gateway.charge(charge(key))).resolves.toMatchObject({ outcome: 'captured' });
  });

  it('times out a charge slower than the timeout, as a transient error', async () => {
    const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0, timeoutMs: 5, latencyMs: 50, seed: 'slow' });
    await expect(gateway.charge(charge('k'))).rejects.toBeInstanceOf(GatewayUnavailableError);
  });

  describe('refunds', () => {
    const refund = (key: string, attempt = 1) => ({ idempotencyKey: key, captureReference: `ch_${key}`, amountCents: 100, attempt });

    it('refunds a payment once: the same key returns the first refund again', async () => {
      const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0, timeoutMs: 1_000, latencyMs: 0, seed: 'refund' });
      const first = await gateway.refund(refund('k'));
      expect(first.reference).toMatch(/^re_/);
      expect(await gateway.refund(refund('k', 2))).toEqual(first);
      expect(gateway.refundedCount).toBe(1);
    });

    it('fails refund attempts with transient errors like charges, drawn per attempt', async () => {
      const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0.3, timeoutMs: 1_000, latencyMs: 0, seed: 'refund-errors' });
      const outcome = (key: string, attempt: number) => gateway.refund(refund(key, attempt)).then(() => 'ok', (error: unknown) => {
        expect(error).toBeInstanceOf(GatewayUnavailableError);
        return 'error';
      });
      const results = await Promise.all(keys.map((key) => outcome(key, 1)));
      const errors = results.filter((r) => r === 'error').length;
      expect(errors / keys.length).toBeGreaterThan(0.25);
      expect(errors / keys.length).toBeLessThan(0.35);
    });

    it('times out a slow refund as a transient error', async () => {
      const gateway = new MockPaymentGateway({ successRate: 1, errorRate: 0, timeoutMs: 5, latencyMs: 50, seed: 'slow' });
      await expect(gateway.refund(refund('k'))).rejects.toBeInstanceOf(GatewayUnavailableError);
    });
  });
});
