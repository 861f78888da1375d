import { v7 as uuidv7 } from 'uuid';
import { OrderCreated, type EnvelopeOf } from '#contracts';

/** A valid orders.created envelope, as orders-api's outbox would write it. */
export function orderCreatedEvent(overrides: Partial<EnvelopeOf<typeof OrderCreated>['payload']> = {}) {
  const orderId = overrides.orderId ?? uuidv7();
  const id = uuidv7();
  const event: EnvelopeOf<typeof OrderCreated> = {
    id,
    type: OrderCreated.type,
    schemaVersion: OrderCreated.schemaVersion,
    occurredAt: new Date().toISOString(),
    aggregateId: orderId,
    correlationId: id,
    causationId: id,
    payload: {
      orderId,
      customerId: 'cust-test',
      currency: 'EUR',
      lines: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 500 }],
      totalCents: 1000,
      ...overrides,
    },
  };
  return event;
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
