import { Injectable } from '@nestjs/common';
import { UnitsOfWork, causedByRequest } from '#messaging';
import { stockEventsOf } from '../stock/stock-events.js';
import { moveStock } from '../stock/stock-rows.js';

export class ProductNotFoundError extends Error {
  constructor(sku: string) {
    super(`product ${sku} not found`);
  }
}

export class StaleProductVersionError extends Error {
  constructor(sku: string, named: number, current: number) {
    super(`product ${sku} is at version ${current}, not ${named}: read it again and retry`);
  }
}

/**
 * An operator's restock: units arrive, on hand goes up, decided on the
 * version the operator saw (a stale one is refused, never applied on top of
 * changes they did not see). The product's new level goes out as
 * inventory.updated with the change, through the outbox; the restock shares
 * its transaction with whatever else is being applied (group commit).
 */
@Injectable()
export class RestockService {
  constructor(private readonly unitsOfWork: UnitsOfWork) {}

  async restock(sku: string, quantity: number, version: number): Promise<void> {
    // Refusals are answered, not thrown inside the unit: a unit that throws
    // after a write would roll back the batch it shares.
    const moved = await this.unitsOfWork.run(async (uow) => {
      const result = await uow.write(moveStock, { kind: 'restock', lines: [{ sku, quantity }], expectedVersion: version });
      uow.emit(stockEventsOf(result, causedByRequest()));
      return result;
    });
    if (moved.outcome === 'unknown') throw new ProductNotFoundError(sku);
    if (moved.outcome === 'stale') throw new StaleProductVersionError(sku, version, moved.currentVersion!);
  }
}
