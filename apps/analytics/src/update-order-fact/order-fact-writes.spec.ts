import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { OrderCancelled, OrderCreated, PaymentFailed, PaymentRefunded, PaymentSucceeded, type EventDefinition } from '#contracts';
import { recordCancelled, recordCreated, recordFailed, recordLines, recordPaid, recordRefunded } from '../analytics-rows.js';
import { factWrites, type OrderFactEvent } from './order-fact-writes.js';


const orderId = uuidv7();
const at = '2026-12-02T03:04:05.000Z';

function envelope(definition: EventDefinition, payload: Record<string, unknown>): OrderFactEvent {
  const id = uuidv7();
  return { id, type: definition.type, schemaVersion: 1, occurredAt: at, aggregateId: orderId, correlationId: id, causationId: id, payload } as OrderFactEvent;
}

describe('factWrites: what each event records about its order', () => {
  it('orders.created: customer, currency, total and time, and the lines with their totals', () => {
    const writes = factWrites(
      envelope(OrderCreated, {
        orderId,
        customerId: 'alice',
        currency: 'EUR',
        totalCents: 1250,
        lines: [{ sku: 'A', quantity: 2, unitPriceCents: 500 }, { sku: 'B', quantity: 1, unitPriceCents: 250 }],
      }),
    );
    expect(writes).toEqual([
      { query: recordCreated, input: { orderId, customerId: 'alice', currency: 'EUR', totalCents: 1250, createdAt: at } },
      { query: recordLines, input: { orderId, lines: [{ sku: 'A', quantity: 2, lineTotalCents: 1000 }, { sku: 'B', quantity: 1, lineTotalCents: 250 }] } },
    ]);
  });

  it('each payment and cancellation event sets only its own columns', () => {
    const paymentId = uuidv7();
    expect(factWrites(envelope(PaymentSucceeded, { orderId, paymentId, amountCents: 1250, gatewayReference: 'g' }))).toEqual([
      { query: recordPaid, input: { orderId, paidCents: 1250, paidAt: at } },
    ]);
    expect(factWrites(envelope(PaymentRefunded, { orderId, paymentId, amountCents: 1250, gatewayReference: 'g', refundReference: 'r' }))).toEqual([
      { query: recordRefunded, input: { orderId, refundedCents: 1250, refundedAt: at } },
    ]);
    expect(factWrites(envelope(PaymentFailed, { orderId, paymentId, amountCents: 1250, reason: 'card_declined' }))).toEqual([
      { query: recordFailed, input: { orderId, at } },
    ]);
    expect(factWrites(envelope(OrderCancelled, { orderId, reason: 'no' }))).toEqual([{ query: recordCancelled, input: { orderId, at } }]);
  });

  it('gives every event type its own statement, so one batch never sets a row twice in one statement', () => {
    const statements = [recordCreated, recordLines, recordPaid, recordRefunded, recordFailed, recordCancelled].map((q) => q.name);
    expect(new Set(statements).size).toBe(statements.length);
  });
});
