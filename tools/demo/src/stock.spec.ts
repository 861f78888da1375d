import { describe, it, expect } from '@jest/globals';
import { OrderState } from '#contracts';
import type { OrderView } from './orders-client.js';
import { orderedSkus, ordinaryOrderRequests } from './place-orders.js';
import {
  isOutOfStockTarget,
  outOfStockProblems,
  outOfStockRequest,
  renderStockTable,
  shippedUnits,
  shortSkus,
  stockProblems,
  unitsBySku,
  type StockLevel,
} from './stock.js';
import { summariseStates } from './table.js';
import { CATALOG_SKUS } from '#local-infra';

const level = (sku: string, onHand: number, reserved = 0): StockLevel => ({ sku, onHand, reserved, available: onHand - reserved });
const ended = (id: string, state: OrderState, lines: Array<[string, number]>, failureReason: string | null = null) =>
  ({ id, state, failureReason, lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPriceCents: 100, lineTotalCents: 100 * quantity })) }) as OrderView;

describe('the out-of-stock order', () => {
  it('is every N-th order, none with 0', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((i) => isOutOfStockTarget(i, 8))).toEqual([8]);
    expect(isOutOfStockTarget(8, 0)).toBe(false);
  });

  it('asks for one unit more than on hand of its first line, keeping the other lines', () => {
    const request = { customerId: 'c', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 2, unitPriceCents: 1 }, { sku: 'KETTLE', quantity: 1, unitPriceCents: 2 }] };
    expect(outOfStockRequest(request, level('MUG', 500, 3)).lines).toEqual([{ sku: 'MUG', quantity: 501, unitPriceCents: 1 }, request.lines[1]]);
    expect(() => outOfStockRequest(request, level('KETTLE', 5))).toThrow(/not KETTLE/);
    expect(() => outOfStockRequest(request, level('MUG', 10_000))).toThrow(/cannot ask for more than 10000/);
  });

  it('must end REJECTED naming its SKU, and no other order may be rejected', () => {
    const planned = new Map([['a', 'MUG'], ['b', 'MUG'], ['c', 'MUG']]);
    const orders = [
      ended('a', OrderState.REJECTED, [], 'out of stock: MUG (asked 501, available 498)'),
      ended('b', OrderState.SHIPPED, []),
      ended('c', OrderState.REJECTED, [], 'out of stock: KETTLE (asked 1, available 0)'),
      ended('d', OrderState.REJECTED, [], 'out of stock: KETTLE (asked 1, available 0)'),
      ended('e', OrderState.FAILED, [], 'payment failed: card_declined'),
    ];
    expect(outOfStockProblems(orders, planned)).toEqual([
      'b asked for more MUG than on hand but is SHIPPED',
      'c is REJECTED but its failureReason does not name MUG: out of stock: KETTLE (asked 1, available 0)',
      'd was REJECTED though there was stock for it (out of stock: KETTLE (asked 1, available 0))',
    ]);
  });
});

describe('the demo orders and the stock they need', () => {
  it('orders only SKUs of the seeded catalog', () => {
    for (const sku of orderedSkus({ orders: 30 })) expect(CATALOG_SKUS).toContain(sku);
  });

  it('leaves the out-of-stock orders out of what the stock must serve', () => {
    expect(ordinaryOrderRequests({ orders: 12, outOfStockEvery: 8 })).toHaveLength(11);
    expect(ordinaryOrderRequests({ orders: 12, outOfStockEvery: 0 })).toHaveLength(12);
  });

  it('sums units per SKU and finds the SKUs short of them', () => {
    const needed = unitsBySku([{ sku: 'MUG', quantity: 4 }, { sku: 'KETTLE', quantity: 1 }, { sku: 'MUG', quantity: 5 }]);
    expect([...needed]).toEqual([['KETTLE', 1], ['MUG', 9]]);
    expect(shortSkus([level('MUG', 10, 2), level('KETTLE', 1), level('GRINDER', 0)], needed)).toEqual(['MUG']);
  });
});

describe('stockProblems', () => {
  const before = [level('MUG', 500), level('KETTLE', 60)];
  const orders = [
    ended('1', OrderState.SHIPPED, [['MUG', 4], ['KETTLE', 1]]),
    ended('2', OrderState.SHIPPED, [['MUG', 2]]),
    ended('3', OrderState.FAILED, [['KETTLE', 2]], 'payment failed: card_declined'),
    ended('4', OrderState.REJECTED, [['MUG', 501]], 'out of stock: MUG (asked 501, available 494)'),
  ];

  it('counts only what the SHIPPED orders took', () => {
    expect([...shippedUnits(orders)]).toEqual([['KETTLE', 1], ['MUG', 6]]);
  });

  it('accepts stock down by the shipped units with nothing reserved', () => {
    expect(stockProblems(before, [level('MUG', 494), level('KETTLE', 59)], shippedUnits(orders))).toEqual([]);
  });

  it('names each SKU left reserved, taken wrongly, or gone', () => {
    expect(stockProblems(before, [level('MUG', 496, 2)], shippedUnits(orders))).toEqual([
      'MUG: 2 still reserved',
      'MUG: on hand went from 500 to 496 (4 taken), but the SHIPPED orders took 6',
      'KETTLE: no longer in the catalog',
    ]);
  });
});

describe('renderStockTable', () => {
  it('shows the stock, and before → after with the units shipped', () => {
    expect(renderStockTable([level('MUG', 500)]).split('\n')).toEqual([
      'sku  on hand  reserved  available',
      '---  -------  --------  ---------',
      'MUG      500         0        500',
    ]);
    expect(renderStockTable([level('MUG', 494)], [level('MUG', 500)], new Map([['MUG', 6]])).split('\n')[2]).toBe('MUG  500 → 494     0 → 0  500 → 494        6');
  });
});

describe('summariseStates', () => {
  it('counts the states, with the gist of why for FAILED and REJECTED', () => {
    expect(
      summariseStates([
        ended('1', OrderState.SHIPPED, []),
        ended('2', OrderState.SHIPPED, []),
        ended('3', OrderState.REJECTED, [], 'out of stock: MUG (asked 501, available 494)'),
        ended('4', OrderState.FAILED, [], 'payment failed: card_declined'),
      ]),
    ).toBe('2 SHIPPED, 1 REJECTED (1 out of stock: MUG), 1 FAILED (1 card_declined)');
  });
});
