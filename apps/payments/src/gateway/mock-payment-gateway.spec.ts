import { MockPaymentGateway } from './mock-payment-gateway.js';

const keys = Array.from({ length: 1_000 }, (_, i) => `payment-${i}`);

describe('MockPaymentGateway', () => {
  it('gives the same answer for the same seed and key', async () => {
    const a = new MockPaymentGateway({ successRate: 0.5, latencyMs: 0, seed: 's' });
    const b = new MockPaymentGateway({ successRate: 0.5, latencyMs: 0, seed: 's' });
    for (const key of keys.slice(0, 50)) {
      expect(await a.charge({ idempotencyKey: key, amountCents: 100 })).toEqual(
        await b.charge({ idempotencyKey: key, amountCents: 100 }),
      );
    }
  });

  it('captures about the configured share of charges', async () => {
    const gateway = new MockPaymentGateway({ successRate: 0.7, latencyMs: 0, seed: 'rate' });
    for (const key of keys) await gateway.charge({ idempotencyKey: key, amountCents: 100 });
    expect(gateway.capturedCount / keys.length).toBeGreaterThan(0.65);
    expect(gateway.capturedCount / keys.length).toBeLessThan(0.75);
  });

  it('never captures a key twice', async () => {
    const gateway = new MockPaymentGateway({ successRate: 1, latencyMs: 0, seed: 'once' });
    const first = await gateway.charge({ idempotencyKey: 'k', amountCents: 100 });
    const again = await gateway.charge({ idempotencyKey: 'k', amountCents: 100 });
    expect(again).toEqual(first);
    expect(gateway.capturedCount).toBe(1);
  });

  it('declines everything at a success rate of 0', async () => {
    const gateway = new MockPaymentGateway({ successRate: 0, latencyMs: 0, seed: 'none' });
    expect(await gateway.charge({ idempotencyKey: 'k', amountCents: 1 })).toEqual({
      outcome: 'declined',
      reason: 'card_declined',
    });
  });
});
