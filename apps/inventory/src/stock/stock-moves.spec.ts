import { describe, it, expect } from '@jest/globals';
import { StockInvariantError, applyStockMoves, type ProductStock } from './stock-moves.js';

const product = (sku: string, onHand: number, reserved = 0, lowStockThreshold = 0, version = 1): ProductStock => ({ id: `id-${sku}`, sku, onHand, reserved, lowStockThreshold, version });

describe('applyStockMoves', () => {
  it('gives the last units to the first order that asks, all lines or none', () => {
    const { results, changed } = applyStockMoves(
      [product('A', 3), product('B', 1)],
      [
        { kind: 'reserve', lines: [{ sku: 'A', quantity: 2 }] },
        { kind: 'reserve', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }] },
        { kind: 'reserve', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }] },
      ],
    );
    expect(results.map((r) => r.outcome)).toEqual(['moved', 'short', 'moved']);
    expect(results[1].shortages).toEqual([{ sku: 'B', requested: 2, available: 1, known: true }]);
    expect(changed).toEqual([expect.objectContaining({ sku: 'A', reserved: 3, version: 1 }), expect.objectContaining({ sku: 'B', reserved: 1, version: 1 })]);
  });

  it('adds up the lines of one SKU, and calls a SKU the catalog lacks unknown', () => {
    const { results } = applyStockMoves([product('A', 3)], [{ kind: 'reserve', lines: [{ sku: 'A', quantity: 2 }, { sku: 'A', quantity: 2 }, { sku: 'Z', quantity: 1 }] }]);
    expect(results[0].shortages).toEqual([
      { sku: 'A', requested: 4, available: 3, known: true },
      { sku: 'Z', requested: 1, available: 0, known: false },
    ]);
  });

  it('gives the batch one level per product, to the last move that changed it', () => {
    const { results } = applyStockMoves([product('A', 10, 0, 0, 4)], [
      { kind: 'reserve', lines: [{ sku: 'A', quantity: 1 }] },
      { kind: 'reserve', lines: [{ sku: 'A', quantity: 2 }] },
      { kind: 'reserve', lines: [{ sku: 'A', quantity: 99 }] },
    ]);
    expect(results.map((r) => r.levels.length)).toEqual([0, 1, 0]);
    expect(results[1].levels[0]).toEqual({ productId: 'id-A', sku: 'A', onHand: 10, reserved: 3, available: 7, version: 5 });
  });

  it('alerts once per crossing of the threshold and of zero', () => {
    const { results } = applyStockMoves([product('A', 10, 0, 4)], [
      { kind: 'reserve', lines: [{ sku: 'A', quantity: 5 }] },
      { kind: 'reserve', lines: [{ sku: 'A', quantity: 5 }] },
    ]);
    expect(results[1].alerts.map((a) => a.kind)).toEqual(['low-stock', 'out-of-stock']);
    const below = applyStockMoves([product('A', 10, 7, 4)], [{ kind: 'reserve', lines: [{ sku: 'A', quantity: 1 }] }]);
    expect(below.results[0].alerts).toEqual([]);
  });

  it('releases and commits what is held, and refuses to give back more than that', () => {
    const { changed } = applyStockMoves([product('A', 10, 6)], [
      { kind: 'release', lines: [{ sku: 'A', quantity: 2 }] },
      { kind: 'commit', lines: [{ sku: 'A', quantity: 3 }] },
    ]);
    expect(changed[0]).toMatchObject({ onHand: 7, reserved: 1 });
    expect(() => applyStockMoves([product('A', 10, 1)], [{ kind: 'release', lines: [{ sku: 'A', quantity: 2 }] }])).toThrow(StockInvariantError);
  });

  it('restocks only on the version the operator read', () => {
    const { results } = applyStockMoves([product('A', 1, 0, 0, 3)], [
      { kind: 'restock', lines: [{ sku: 'A', quantity: 5 }], expectedVersion: 2 },
      { kind: 'restock', lines: [{ sku: 'A', quantity: 5 }], expectedVersion: 3 },
      { kind: 'restock', lines: [{ sku: 'Q', quantity: 5 }], expectedVersion: 1 },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['stale', 'moved', 'unknown']);
    expect(results[0].currentVersion).toBe(3);
    expect(results[1].levels[0]).toMatchObject({ onHand: 6, version: 4 });
  });
});
