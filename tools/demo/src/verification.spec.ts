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
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    history: path.map(([from, to, version]) => ({ from, to, version, reason: null, occurredAt: '2026-01-01T00:00:00.000Z' })),
  };
}

const shipped = order(S.SHIPPED, [
  [null, S.CREATED, 1],
  [S.CREATED, S.PAYMENT_PENDING, 2],
  [S.PAYMENT_PENDING, S.PAID, 3],
  [S.PAID, S.SHIPMENT_PREPARED, 4],
  [S.SHIPMENT_PREPARED, S.SHIPPED, 5],
]);

describe('historyProblems', () => {
  it('accepts the happy path and a declined payment', () => {
    expect(historyProblems(shipped)).toEqual([]);
    const failed = order(S.FAILED, [[null, S.CREATED, 1], [S.CREATED, S.PAYMENT_PENDING, 2], [S.PAYMENT_PENDING, S.FAILED, 3]], 'declined');
    expect(historyProblems(failed)).toEqual([]);
  });

  it('reports a transition applied twice', () => {
    const twice = order(S.SHIPPED, [...shipped.history.map((h) => [h.from, h.to, h.version] as [OrderState | null, OrderState, number]).slice(0, 3), [S.PAYMENT_PENDING, S.PAID, 4]]);
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
    ...order(S.CANCELLED, [
      [null, S.CREATED, 1],
      [S.CREATED, S.PAYMENT_PENDING, 2],
      [S.PAYMENT_PENDING, S.PAID, 3],
      [S.PAID, S.CANCELLING, 4],
      [S.CANCELLING, S.CANCELLED, 5],
    ]),
    id: 'refunded',
  };
  const shippedAnyway = {
    ...order(S.SHIPPED, [
      [null, S.CREATED, 1],
      [S.CREATED, S.PAYMENT_PENDING, 2],
      [S.PAYMENT_PENDING, S.PAID, 3],
      [S.PAID, S.SHIPMENT_PREPARED, 4],
      [S.SHIPMENT_PREPARED, S.CANCELLING, 5],
      [S.CANCELLING, S.SHIPPED, 6],
    ]),
    id: 'too-late',
  };
  const facts = (payments: Record<string, string[]>, shipments: Record<string, string[]>): DatabaseFacts => ({
    paymentsByOrder: new Map(Object.entries(payments)),
    shipmentsByOrder: new Map(Object.entries(shipments)),
    totalPayments: Object.values(payments).flat().length,
    totalShipments: Object.values(shipments).flat().length,
    paymentsInboxDuplicates: 0,
    allInboxDuplicates: 0,
    paymentsDuplicatesByEvent: new Map(),
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
  it('counts only terminal orders with a correct history', () => {
    const pending = order(S.PAYMENT_PENDING, [[null, S.CREATED, 1], [S.CREATED, S.PAYMENT_PENDING, 2]]);
    expect(countProcessed([shipped, pending])).toBe(1);
  });
});

describe('payments of failed orders', () => {
  const failed = (reason: string) =>
    order(S.FAILED, [[null, S.CREATED, 1], [S.CREATED, S.PAYMENT_PENDING, 2], [S.PAYMENT_PENDING, S.FAILED, 3]], reason);
  const declined = { ...failed('payment failed: card_declined'), id: 'declined' };
  const unavailable = { ...failed('payment failed: gateway_unavailable: gateway unavailable (attempt 3)'), id: 'unavailable' };
  const facts = (payments: Record<string, string[]>): DatabaseFacts => ({
    paymentsByOrder: new Map(Object.entries(payments)),
    shipmentsByOrder: new Map(),
    totalPayments: Object.values(payments).flat().length,
    totalShipments: 0,
    paymentsInboxDuplicates: 0,
    allInboxDuplicates: 0,
    paymentsDuplicatesByEvent: new Map(),
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

  it('shortens failure reasons to their gist', () => {
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
    paymentsInboxDuplicates: 1,
    allInboxDuplicates: 1,
    paymentsDuplicatesByEvent: new Map([['e-skipped', 1]]),
  } satisfies DatabaseFacts;
  const deadLetter = (eventId: string, status: string) =>
    ({ id: eventId, sourceStream: 'ORDERS', streamSeq: 1, consumer: 'payments--orders-created', originalSubject: 'orders.created', reason: 'max_deliveries', deliveries: 3, eventId, eventType: 'orders.created', status }) as DeadLetterSummary;

  it('takes a skipped copy, or a RESOLVED dead letter where the twin applied the event, and flags an event with neither', () => {
    const [, , c] = checkInjectedDuplicates(report, facts, [deadLetter('e-resolved', 'RESOLVED'), deadLetter('e-neither', 'PENDING')]);
    expect(c!.problems).toEqual(['neither: event e-neither was neither skipped by the payments inbox nor dead-lettered RESOLVED']);
  });
});
