/**
 * The stock arithmetic of inventory, pure: given the products a batch locked
 * and the moves its units asked for, in order, what each move gets and what
 * the products become. No I/O, so the rules (all lines or none, never more
 * than available, one alert per crossing) are unit-tested on their own.
 */

export interface ProductStock {
  id: string;
  sku: string;
  onHand: number;
  reserved: number;
  lowStockThreshold: number;
  version: number;
}

export interface StockLine {
  sku: string;
  quantity: number;
}

export type StockMove =
  /** Hold every line or none (a new order). */
  | { kind: 'reserve'; lines: readonly StockLine[] }
  /** Give held units back (a failed payment, a cancellation). */
  | { kind: 'release'; lines: readonly StockLine[] }
  /** Held units leave the warehouse (a dispatched shipment). */
  | { kind: 'commit'; lines: readonly StockLine[] }
  /** Units arrive; `expectedVersion` is the product version the operator saw. */
  | { kind: 'restock'; lines: readonly [StockLine]; expectedVersion: number };

export interface Shortage {
  sku: string;
  requested: number;
  /** Available when asked (0 for a SKU not in the catalog). */
  available: number;
  /** False for a SKU the catalog does not have. */
  known: boolean;
}

export interface StockLevel {
  productId: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  /** The product's version once the batch's write is committed. */
  version: number;
}

export interface StockAlert {
  kind: 'low-stock' | 'out-of-stock';
  level: StockLevel;
  threshold: number;
}

export interface StockMoveResult {
  /** moved: applied; short: a reservation refused (nothing held); stale: a restock on a version that is not the current one; unknown: a restock of a SKU not in the catalog. */
  outcome: 'moved' | 'short' | 'stale' | 'unknown';
  shortages: Shortage[];
  /** For a stale restock: the version it should have named. */
  currentVersion?: number;
  /** The levels of the products this move was the last to change in its batch: its unit emits them. */
  levels: StockLevel[];
  alerts: StockAlert[];
}

/** Lines of one order added up per SKU (an order may name a SKU twice; it is held as one). */
export function totalsBySku(lines: readonly StockLine[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of lines) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  return totals;
}

const available = (p: Pick<ProductStock, 'onHand' | 'reserved'>): number => p.onHand - p.reserved;

/** Thrown for a release or commit of more than is held: a bug, never a business outcome. */
export class StockInvariantError extends Error {}

export function applyStockMoves(products: readonly ProductStock[], moves: readonly StockMove[]): { results: StockMoveResult[]; changed: ProductStock[] } {
  const before = new Map(products.map((p) => [p.sku, p]));
  const working = new Map(products.map((p) => [p.sku, { ...p }]));
  const lastChangedBy = new Map<string, number>();
  const results = moves.map((move, index): StockMoveResult => {
    const result = applyOne(working, move);
    if (result.outcome === 'moved') for (const sku of totalsBySku(move.lines).keys()) lastChangedBy.set(sku, index);
    return result;
  });
  const changed: ProductStock[] = [];
  for (const [sku, index] of lastChangedBy) {
    const start = before.get(sku)!;
    const end = working.get(sku)!;
    if (end.onHand === start.onHand && end.reserved === start.reserved) continue;
    // Written at the version read; the write makes it one higher.
    changed.push({ ...end, version: start.version });
    const level = { productId: end.id, sku, onHand: end.onHand, reserved: end.reserved, available: available(end), version: start.version + 1 };
    results[index].levels.push(level);
    results[index].alerts.push(...crossings(start, level));
  }
  return { results, changed };
}

function applyOne(products: Map<string, ProductStock>, move: StockMove): StockMoveResult {
  const result = (outcome: StockMoveResult['outcome'], extra: Partial<StockMoveResult> = {}): StockMoveResult => ({ outcome, shortages: [], levels: [], alerts: [], ...extra });
  const totals = totalsBySku(move.lines);
  switch (move.kind) {
    case 'reserve': {
      const shortages: Shortage[] = [];
      for (const [sku, requested] of totals) {
        const product = products.get(sku);
        if (!product) shortages.push({ sku, requested, available: 0, known: false });
        else if (available(product) < requested) shortages.push({ sku, requested, available: available(product), known: true });
      }
      if (shortages.length > 0) return result('short', { shortages });
      for (const [sku, quantity] of totals) products.get(sku)!.reserved += quantity;
      return result('moved');
    }
    case 'release':
    case 'commit':
      for (const [sku, quantity] of totals) {
        const product = products.get(sku);
        if (!product || product.reserved < quantity) {
          throw new StockInvariantError(`${move.kind} of ${quantity} ${sku}: only ${product?.reserved ?? 0} reserved`);
        }
      }
      for (const [sku, quantity] of totals) {
        const product = products.get(sku)!;
        product.reserved -= quantity;
        if (move.kind === 'commit') product.onHand -= quantity;
      }
      return result('moved');
    case 'restock': {
      const [{ sku, quantity }] = move.lines;
      const product = products.get(sku);
      if (!product) return result('unknown');
      if (product.version !== move.expectedVersion) return result('stale', { currentVersion: product.version });
      product.onHand += quantity;
      return result('moved');
    }
  }
}

/** The thresholds a product's available stock fell through, from `start` to `end`: an alert once per crossing, not per order. */
function crossings(start: ProductStock, end: StockLevel): StockAlert[] {
  const alerts: StockAlert[] = [];
  const threshold = start.lowStockThreshold;
  if (available(start) > threshold && end.available <= threshold) alerts.push({ kind: 'low-stock', level: end, threshold });
  if (available(start) > 0 && end.available === 0) alerts.push({ kind: 'out-of-stock', level: end, threshold });
  return alerts;
}
