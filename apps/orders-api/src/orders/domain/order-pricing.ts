/** Largest total an order may have: the column is a 32-bit integer of cents. */
export const MAX_ORDER_TOTAL_CENTS = 2_147_483_647;

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export class OrderTotalTooLargeError extends Error {
  override readonly name = 'OrderTotalTooLargeError';
}

/** Totals are computed here, never taken from the client. */
export function priceLines(lines: ReadonlyArray<{ sku: string; quantity: number; unitPriceCents: number }>): {
  lines: PricedLine[];
  totalCents: number;
} {
  const priced = lines.map((line) => ({ ...line, lineTotalCents: line.quantity * line.unitPriceCents }));
  const totalCents = priced.reduce((sum, line) => sum + line.lineTotalCents, 0);
  if (!Number.isSafeInteger(totalCents) || totalCents > MAX_ORDER_TOTAL_CENTS) {
    throw new OrderTotalTooLargeError(`order total exceeds ${MAX_ORDER_TOTAL_CENTS} cents`);
  }
  return { lines: priced, totalCents };
}
