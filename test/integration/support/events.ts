import { v7 as uuidv7 } from 'uuid';
import { InventoryReserved, OrderCreated, type EnvelopeOf } from '#contracts';
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

/**
 * A valid inventory.reserved envelope, as inventory's outbox would write it
 * once every line of an order is held: what payments charges (the same order
 * as orderCreatedEvent's defaults, its lines without prices).
 */
export function reservedOrderEvent(overrides: Partial<EnvelopeOf<typeof InventoryReserved>['payload']> = {}): EnvelopeOf<typeof InventoryReserved> {
  return envelopeFor(InventoryReserved, {
    orderId: uuidv7(),
    reservationId: uuidv7(),
    customerId: 'cust-test',
    currency: 'EUR',
    totalCents: 1000,
    lines: [{ sku: 'SKU-1', quantity: 2 }],
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
