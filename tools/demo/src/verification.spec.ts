import { describe, it, expect } from '@jest/globals';
import { OrderState } from '#contracts';
import type { OrderView } from './orders-client.js';
import type { DatabaseFacts } from './database-facts.js';
import { checkInjectedDuplicates, checkPaidOrders, checkPayments, checkShipments, countProcessed, expectedPaymentStatus, historyProblems } from './verification.js';
import type { InjectionReport } from './duplicate-injection.js';
import type { DeadLetterSummary } from './dead-letters.js';
import { shortFailureReason } from './table.js';

const S = OrderState;

function order(state: OrderState, path: Array<[OrderState | null, OrderState, number]>, failureReason: string | null = null): OrderView {
  return {
    id: '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c',
    customerId: 'c',
    state,
    version: path[path.length - 1]![2],
    currency: 'EUR',
    totalCents: 100,
    failureReason,
    lines: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    history: path.map(([from, to, version]) => ({ from, to, version, reason: null, occurredAt: '2026-01-01T00:00:00.000Z' })),
  };
}

/** The history of an order that went through `states` one after another, from version 1. */
function chain(...states: OrderState[]): Array<[OrderState | null, OrderState, number]> {
  return states.map((to, index) => [index === 0 ? null : states[index - 1]!, to, index + 1]);
}

const shipped = order(S.SHIPPED, chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING, S.PAID, S.SHIPMENT_PREPARED, S.SHIPPED));
const rejected = { ...order(S.REJECTED, chain(S.CREATED, S.REJECTED), 'out of stock: MUG-CERAMIC (asked 501, available 500)'), id: 'rejected' };

describe('historyProblems', () => {
  it('accepts the happy path and a declined payment', () => {
    expect(historyProblems(shipped)).toEqual([]);
    const failed = order(S.FAILED, chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING, S.FAILED), 'declined');
    expect(historyProblems(failed)).toEqual([]);
  });

  it('wants the stock reserved before the payment, and accepts an order rejected for want of stock', () => {
    expect(historyProblems(order(S.SHIPPED, chain(S.CREATED, S.PAYMENT_PENDING, S.PAID, S.SHIPMENT_PREPARED, S.SHIPPED))).join()).toMatch(/not a legal way to SHIPPED/);
    expect(historyProblems(rejected)).toEqual([]);
    expect(historyProblems(order(S.REJECTED, chain(S.CREATED, S.REJECTED))).join()).toMatch(/REJECTED without a failureReason/);
    expect(historyProblems(order(S.REJECTED, chain(S.CREATED, S.RESERVED, S.REJECTED), 'short')).join()).toMatch(/not a legal way to REJECTED/);
  });

  it('reports a transition applied twice', () => {
    const twice = order(S.SHIPPED, [...chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING, S.PAID), [S.PAYMENT_PENDING, S.PAID, 5]]);
    expect(historyProblems(twice).join('\n')).toMatch(/recorded twice/);
  });

  it('reports versions that do not increase and a broken chain', () => {
    const broken = order(S.FAILED, [[null, S.CREATED, 1], [S.CREATED, S.PAYMENT_PENDING, 1], [S.PAID, S.FAILED, 3]], 'declined');
    const problems = historyProblems(broken).join('\n');
    expect(problems).toMatch(/not increasing/);
    expect(problems).toMatch(/does not follow/);
  });

  it('reports a FAILED order without a reason and an illegal path', () => {
    const problems = historyProblems(order(S.FAILED, [[null, S.CREATED, 1], [S.CREATED, S.FAILED, 2]])).join('\n');
    expect(problems).toMatch(/not a legal way to FAILED/);
    expect(problems).toMatch(/without a failureReason/);
  });
});

describe('cancelled orders', () => {
  const cancelledAfterPayment = {
    ...order(S.CANCELLED, chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING, S.PAID, S.CANCELLING, S.CANCELLED)),
    id: 'refunded',
  };
  const shippedAnyway = {
    ...order(S.SHIPPED, chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING, S.PAID, S.SHIPMENT_PREPARED, S.CANCELLING, S.SHIPPED)),
    id: 'too-late',
  };
  const facts = (payments: Record<string, string[]>, shipments: Record<string, string[]>): DatabaseFacts => ({
    paymentsByOrder: new Map(Object.entries(payments)),
    shipmentsByOrder: new Map(Object.entries(shipments)),
    totalPayments: Object.values(payments).flat().length,
    totalShipments: Object.values(shipments).flat().length,
    inventoryInboxDuplicates: 0,
    allInboxDuplicates: 0,
    inventoryDuplicatesByEvent: new Map(),
  });

  it('accepts a cancellation from any state before SHIPPED, and one refused because the parcel had left', () => {
    expect(historyProblems(cancelledAfterPayment)).toEqual([]);
    expect(historyProblems(shippedAnyway)).toEqual([]);
    expect(historyProblems(order(S.CANCELLED, [[null, S.CREATED, 1], [S.CREATED, S.CANCELLED, 2]])).join()).toMatch(/not a legal way/);
  });

  it('wants a cancelled order refunded or never charged, with a CANCELLED shipment', () => {
    const good = facts({ refunded: ['REFUNDED'], 'too-late': ['SUCCEEDED'] }, { refunded: ['CANCELLED'], 'too-late': ['DISPATCHED'] });
    const orders = [cancelledAfterPayment, shippedAnyway];
    expect(checkPayments(orders, good).problems).toEqual([]);
    expect(checkShipments(orders, good).problems).toEqual([]);
    expect(checkPaidOrders(orders, good).passed).toBe(true);

    const stillCharged = facts({ refunded: ['SUCCEEDED'], 'too-late': ['SUCCEEDED'] }, { refunded: ['DISPATCHED'], 'too-late': ['DISPATCHED'] });
    expect(checkPayments(orders, stillCharged).problems).toEqual([expect.stringMatching(/CANCELLED but its payment is SUCCEEDED/)]);
    expect(checkShipments(orders, stillCharged).problems).toEqual([expect.stringMatching(/CANCELLED but its shipment is DISPATCHED/)]);
    expect(checkPaidOrders(orders, stillCharged).passed).toBe(false);
  });
});

describe('countProcessed', () => {
  it('counts only terminal orders with a correct history, a rejected one included', () => {
    const pending = order(S.PAYMENT_PENDING, chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING));
    expect(countProcessed([shipped, pending, rejected])).toBe(2);
  });
});

describe('payments of failed orders', () => {
  const failed = (reason: string) =>
    order(S.FAILED, chain(S.CREATED, S.RESERVED, S.PAYMENT_PENDING, S.FAILED), reason);
  const declined = { ...failed('payment failed: card_declined'), id: 'declined' };
  const unavailable = { ...failed('payment failed: gateway_unavailable: gateway unavailable (attempt 3)'), id: 'unavailable' };
  const facts = (payments: Record<string, string[]>): DatabaseFacts => ({
    paymentsByOrder: new Map(Object.entries(payments)),
    shipmentsByOrder: new Map(),
    totalPayments: Object.values(payments).flat().length,
    totalShipments: 0,
    inventoryInboxDuplicates: 0,
    allInboxDuplicates: 0,
    inventoryDuplicatesByEvent: new Map(),
  });

  it('expects DECLINED for a decline and FAILED for a gateway given up on', () => {
    expect(expectedPaymentStatus(declined)).toBe('DECLINED');
    expect(expectedPaymentStatus(unavailable)).toBe('FAILED');
    expect(expectedPaymentStatus(shipped)).toBe('SUCCEEDED');
    expect(checkPayments([declined, unavailable], facts({ declined: ['DECLINED'], unavailable: ['FAILED'] })).problems).toEqual([]);
    expect(checkPayments([declined, unavailable], facts({ declined: ['FAILED'], unavailable: ['DECLINED'] })).problems).toHaveLength(2);
  });

  it('counts SUCCEEDED payments against SHIPPED orders', () => {
    expect(checkPaidOrders([shipped, declined], facts({ [shipped.id]: ['SUCCEEDED'], declined: ['DECLINED'] })).passed).toBe(true);
    expect(checkPaidOrders([declined], facts({ declined: ['SUCCEEDED'] })).passed).toBe(false);
  });

  it('wants no payment and no shipment for a rejected order', () => {
    const ok = facts({ [shipped.id]: ['SUCCEEDED'] });
    expect(checkPayments([shipped, rejected], ok).problems).toEqual([]);
    expect(checkShipments([shipped, rejected], { ...ok, shipmentsByOrder: new Map([[shipped.id, ['DISPATCHED']]]), totalShipments: 1 }).problems).toEqual([]);
    expect(checkPayments([shipped, rejected], facts({ [shipped.id]: ['SUCCEEDED'], rejected: ['DECLINED'] })).problems).toEqual([
      'rejected: 1 payments for a REJECTED order',
      '2 payment rows for 1 orders that were not rejected',
    ]);
  });

  it('shortens failure reasons to their gist', () => {
    expect(shortFailureReason('out of stock: MUG (asked 4, available 1), GIFT-CARD (not in the catalog)')).toBe('out of stock: MUG, GIFT-CARD');
    expect(shortFailureReason('payment failed: card_declined')).toBe('card_declined');
    expect(shortFailureReason('payment failed: gateway_unavailable: gateway unavailable (attempt 3)')).toBe('gateway_unavailable');
    expect(shortFailureReason(null)).toBe('');
  });
});

describe('redeliveries with a new msg id (check c)', () => {
  const ack = { duplicate: false, seq: 1 } as InjectionReport['newMsgId'][number]['ack'];
  const report: InjectionReport = {
    httpRetries: [],
    sameMsgId: [],
    newMsgId: [
      { orderId: 'skipped', eventId: 'e-skipped', ack },
      { orderId: 'resolved', eventId: 'e-resolved', ack },
      { orderId: 'neither', eventId: 'e-neither', ack },
    ],
  };
  const facts = {
    paymentsByOrder: new Map(),
    shipmentsByOrder: new Map(),
    totalPayments: 0,
    totalShipments: 0,
    inventoryInboxDuplicates: 1,
    allInboxDuplicates: 1,
    inventoryDuplicatesByEvent: new Map([['e-skipped', 1]]),
  } satisfies DatabaseFacts;
  const deadLetter = (eventId: string, status: string) =>
    ({ id: eventId, sourceStream: 'ORDERS', streamSeq: 1, consumer: 'inventory--orders-created', originalSubject: 'orders.created', reason: 'max_deliveries', deliveries: 3, eventId, eventType: 'orders.created', status }) as DeadLetterSummary;

  it('takes a skipped copy, or a RESOLVED dead letter where the twin applied the event, and flags an event with neither', () => {
    const [, , c] = checkInjectedDuplicates(report, facts, [deadLetter('e-resolved', 'RESOLVED'), deadLetter('e-neither', 'PENDING')]);
    expect(c!.problems).toEqual(['neither: event e-neither was neither skipped by the inventory inbox nor dead-lettered RESOLVED']);
  });
});
