import { InventoryLowStock, InventoryOutOfStock, InventoryUpdated } from '#contracts';
import { newEvent, type EventCause, type NewEvent } from '#messaging';
import type { StockMoveResult } from './stock-moves.js';

/**
 * The stock events of one move: inventory.updated for each product it was the
 * last of its batch to change, and the alerts those changes crossed.
 */
export function stockEventsOf(result: StockMoveResult, cause: EventCause): NewEvent[] {
  const levelOf = ({ sku, onHand, reserved, available, version }: StockMoveResult['levels'][number]) => ({ sku, onHand, reserved, available, version });
  return [
    ...result.levels.map((level) => newEvent(InventoryUpdated, level.productId, levelOf(level), cause)),
    ...result.alerts.map((alert) =>
      alert.kind === 'low-stock'
        ? newEvent(InventoryLowStock, alert.level.productId, { ...levelOf(alert.level), threshold: alert.threshold }, cause)
        : newEvent(InventoryOutOfStock, alert.level.productId, levelOf(alert.level), cause),
    ),
  ];
}
