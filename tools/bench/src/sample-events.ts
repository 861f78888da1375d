import { v7 as uuidv7 } from 'uuid';
import { OrderCreated, type EventEnvelope } from '#contracts';

/**
 * Valid orders.created envelopes, as the orders service writes them, for the
 * transport benchmark: each its own order (the transport serialises one
 * order's events, so a shared order id would measure that queue instead) and
 * its own id (the Nats-Msg-Id).
 */
export function sampleOrderCreatedEnvelopes(count: number): EventEnvelope[] {
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => {
    const orderId = uuidv7();
    const id = uuidv7();
    return {
      id,
      type: OrderCreated.type,
      schemaVersion: OrderCreated.schemaVersion,
      occurredAt,
      aggregateId: orderId,
      correlationId: id,
      causationId: id,
      payload: OrderCreated.payload.parse({
        orderId,
        customerId: `bench-${index % 100}`,
        currency: 'EUR',
        lines: [{ sku: 'SKU-BENCH-1', quantity: 2, unitPriceCents: 1_250 }],
        totalCents: 2_500,
      }),
    };
  });
}
