import { OrderState } from '#contracts';
import type { OrderView } from './orders-client.js';
import { countProcessed, historyProblems } from './verification.js';

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

describe('countProcessed', () => {
  it('counts only terminal orders with a correct history', () => {
    const pending = order(S.PAYMENT_PENDING, [[null, S.CREATED, 1], [S.CREATED, S.PAYMENT_PENDING, 2]]);
    expect(countProcessed([shipped, pending])).toBe(1);
  });
});
