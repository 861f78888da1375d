import { describe, it, expect } from '@jest/globals';
import { analyticsDifferences, type AnalyticsFigures } from './analytics-summary.js';
import type { OrderView } from './orders-client.js';

const order = (state: string, totalCents: number, states: string[], currency = 'EUR') =>
  ({ id: `${state}-${totalCents}`, state, totalCents, currency, history: states.map((to) => ({ to })) }) as unknown as OrderView;

const orders = [
  order('SHIPPED', 1_000, ['CREATED', 'RESERVED', 'PAYMENT_PENDING', 'PAID', 'SHIPMENT_PREPARED', 'SHIPPED']),
  order('SHIPPED', 500, ['CREATED', 'RESERVED', 'PAYMENT_PENDING', 'PAID', 'SHIPMENT_PREPARED', 'SHIPPED'], 'USD'),
  order('FAILED', 700, ['CREATED', 'RESERVED', 'PAYMENT_PENDING', 'FAILED']),
  // Paid, then cancelled and refunded: no revenue.
  order('CANCELLED', 900, ['CREATED', 'RESERVED', 'PAYMENT_PENDING', 'PAID', 'CANCELLING', 'CANCELLED']),
  // Short of stock: never charged, no revenue.
  order('REJECTED', 800, ['CREATED', 'REJECTED']),
];

const figures = (overrides: Partial<AnalyticsFigures['orders']> = {}, revenue = [
  { currency: 'EUR', ordersPaid: 1, revenueCents: 1_000, averageOrderValueCents: 1_000 },
  { currency: 'USD', ordersPaid: 1, revenueCents: 500, averageOrderValueCents: 500 },
]): AnalyticsFigures => ({
  orders: { created: 5, paid: 2, failed: 1, cancelled: 1, refunded: 1, rejected: 1, ...overrides },
  revenue,
  topCustomers: [],
  topProducts: [],
});

describe('analyticsDifferences', () => {
  it('finds nothing when the figures equal a recount from the orders', () => {
    expect(analyticsDifferences(figures(), orders)).toEqual([]);
  });

  it('names each figure that differs', () => {
    expect(analyticsDifferences(figures({ created: 3, paid: 3, rejected: 0 }), orders)).toEqual([
      'created: analytics says 3, the orders 5',
      'paid: analytics says 3, the orders 2',
      'rejected: analytics says 0, the orders 1',
    ]);
    expect(analyticsDifferences(figures({}, [{ currency: 'EUR', ordersPaid: 2, revenueCents: 1_900, averageOrderValueCents: 950 }]), orders)).toEqual([
      'revenue: analytics says {"EUR":1900}, the orders {"EUR":1000,"USD":500}',
    ]);
  });
});
