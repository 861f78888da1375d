import { v7 as uuidv7 } from 'uuid';
import { OrderCreated, type EnvelopeOf } from '#contracts';
import { envelopeFor } from './envelope.js';

/** A valid orders.created envelope, as orders-api's outbox would write it. */
export function orderCreatedEvent(overrides: Partial<EnvelopeOf<typeof OrderCreated>['payload']> = {}): EnvelopeOf<typeof OrderCreated> {
  return envelopeFor(OrderCreated, {
    orderId: uuidv7(),
    customerId: 'cust-test',
    currency: 'EUR',
    lines: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 500 }],
    totalCents: 1000,
    ...overrides,
  });
}

/** Polls until `check` returns true, or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
