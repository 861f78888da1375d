import { VersionConflictError, type SqlClient } from '#database';
import type { BatchQuery } from '#messaging';
import { applyStockMoves, type ProductStock, type StockMove, type StockMoveResult } from './stock-moves.js';

/*
 * The inventory.products table's stock, moved for every unit of work of a
 * batch in two statements: one SELECT ... FOR UPDATE of every product the
 * batch touches, one UPDATE of those that changed (naming the version read).
 * The decisions in between are pure (stock-moves.ts).
 */

const PRODUCTS = '"inventory"."products"';

/** The products of these SKUs, locked for this transaction in SKU order (two transactions lock in the same order: no deadlock). */
async function lockProducts(tx: SqlClient, skus: readonly string[]): Promise<ProductStock[]> {
  return tx.$queryRawUnsafe<ProductStock[]>(
    `SELECT id::text, sku, on_hand AS "onHand", reserved, low_stock_threshold AS "lowStockThreshold", version
       FROM ${PRODUCTS} WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
    [...new Set(skus)].sort(),
  );
}

/** Writes the changed products, each at the version it was read at; a row another writer moved first is a lost race (retried). */
async function writeProducts(tx: SqlClient, changed: readonly ProductStock[]): Promise<void> {
  if (changed.length === 0) return;
  const written = await tx.$executeRawUnsafe(
    `UPDATE ${PRODUCTS} p
        SET on_hand = c.on_hand, reserved = c.reserved, version = p.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS c (id, on_hand, reserved, version)
      WHERE p.id = c.id AND p.version = c.version`,
    changed.map((p) => p.id),
    changed.map((p) => p.onHand),
    changed.map((p) => p.reserved),
    changed.map((p) => p.version),
  );
  if (written !== changed.length) throw new VersionConflictError(`stock of ${changed.map((p) => p.sku).join(', ')}`);
}

/**
 * Reserves, releases, commits or restocks, for every unit of a batch at once
 * and in the order they asked (the first order to ask for the last unit gets
 * it). Each unit gets its own answer; the stock levels that changed, and the
 * alerts they crossed, go with the last unit that changed each product, so
 * that the batch emits one inventory.updated per product, not one per order.
 * Whoever emits them is committed with every other writer of the batch (a
 * unit that fails after a write rolls the batch back).
 */
export const moveStock: BatchQuery<StockMove, StockMoveResult> = {
  name: 'move stock',
  async run(tx, moves) {
    const products = await lockProducts(tx, moves.flatMap((move) => move.lines.map((line) => line.sku)));
    const { results, changed } = applyStockMoves(products, moves);
    await writeProducts(tx, changed);
    return results;
  },
};
