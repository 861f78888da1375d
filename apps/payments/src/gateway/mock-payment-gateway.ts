import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChargeRequest {
  /** The gateway returns the first result again for a repeated key (no second charge). */
  idempotencyKey: string;
  amountCents: number;
  /** Stands in for the card: the mock's decision depends on who pays how much. */
  customerId: string;
  /** 1 for the first try; gateway errors are drawn per attempt. */
  attempt: number;
}

export interface RefundRequest {
  /** The payment id: one refund per payment; a repeated key returns the first refund again. */
  idempotencyKey: string;
  /** The capture being refunded. */
  captureReference: string;
  amountCents: number;
  /** 1 for the first try; gateway errors are drawn per attempt, as for charges. */
  attempt: number;
}

export interface RefundResult {
  reference: string;
}

/** The gateway did not answer (timeout, 5xx): nothing was charged, try again later. */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}

export type ChargeResult =
  | { outcome: 'captured'; reference: string }
  | { outcome: 'declined'; reason: string };

export interface MockGatewaySettings {
  successRate: number;
  /** Share of attempts that fail with GatewayUnavailableError before deciding. */
  errorRate: number;
  /** Longer than this, and the charge fails with GatewayUnavailableError. */
  timeoutMs: number;
  latencyMs: number;
  seed: string;
}

/**
 * A stand-in for a card gateway with the property that matters here: charges
 * are idempotent by key, as real gateways' idempotency keys are. The decision
 * is a pure function of (seed, customer, amount) — never of generated ids — so
 * a retried charge gets the same answer and the same orders with the same seed
 * are declined in every run.
 */
export class MockPaymentGateway {
  /** Keys charged by this process, to show that a key is never captured twice. */
  private readonly captures = new Map<string, ChargeResult>();
  /** Keys refunded by this process, to show that a payment is never refunded twice. */
  private readonly refunds = new Map<string, RefundResult>();

  constructor(private readonly settings: MockGatewaySettings) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    await this.roundTrip(`error:${request.idempotencyKey}:${request.attempt}`, request.attempt);
    const known = this.captures.get(request.idempotencyKey);
    if (known) return known;
    const result = this.decide(request);
    this.captures.set(request.idempotencyKey, result);
    return result;
  }

  /**
   * Gives a capture back in full. Transient errors and timeouts are drawn as
   * for charges (and retried the same way); a refund itself never fails.
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    await this.roundTrip(`refund-error:${request.idempotencyKey}:${request.attempt}`, request.attempt);
    const known = this.refunds.get(request.idempotencyKey);
    if (known) return known;
    const reference = createHash('sha256').update(`refund:${request.idempotencyKey}`).digest('hex').slice(0, 24);
    const result = { reference: `re_${reference}` };
    this.refunds.set(request.idempotencyKey, result);
    return result;
  }

  get refundedCount(): number {
    return this.refunds.size;
  }

  get capturedCount(): number {
    return [...this.captures.values()].filter((r) => r.outcome === 'captured').length;
  }

  /** Latency, timeout and transient errors: what every call to the gateway may meet. */
  private async roundTrip(errorDraw: string, attempt: number): Promise<void> {
    if (this.settings.latencyMs >= this.settings.timeoutMs) {
      await sleep(this.settings.timeoutMs);
      throw new GatewayUnavailableError(`gateway timed out after ${this.settings.timeoutMs} ms`);
    }
    if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
    if (this.draw(`${this.settings.seed}:${errorDraw}`) < this.settings.errorRate) {
      throw new GatewayUnavailableError(`gateway unavailable (attempt ${attempt})`);
    }
  }

  private decide(request: ChargeRequest): ChargeResult {
    const card = `${this.settings.seed}:${request.customerId}:${request.amountCents}`;
    if (this.draw(card) < this.settings.successRate) {
      const reference = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24);
      return { outcome: 'captured', reference: `ch_${reference}` };
    }
    return { outcome: 'declined', reason: 'card_declined' };
  }

  /** A uniform number in [0, 1) determined by `input`. */
  private draw(input: string): number {
    return createHash('sha256').update(input).digest().readUInt32BE(0) / 0x1_0000_0000;
  }
}
