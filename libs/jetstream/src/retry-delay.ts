import { JetStreamDefaults } from './constants.js';

/**
 * Delay before the next delivery after a handler failed on `deliveryCount`:
 * exponential with full jitter, so many failing messages do not retry in step.
 * Passed to `nak(delay)` because NATS 2.9 ignores the consumer's backoff list
 * for naks.
 */
export function retryDelayMs(
  deliveryCount: number,
  baseMs: number = JetStreamDefaults.retryBaseDelayMs,
  maxMs: number = JetStreamDefaults.retryMaxDelayMs,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, deliveryCount - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
