import type { OrderView } from './orders-client.js';

/**
 * The final orders as a plain-text table. Order ids are UUIDv7, whose first
 * characters are a timestamp shared by every order of a run, so the short
 * form is the random tail.
 */
export function renderOrdersTable(orders: readonly OrderView[], duplicated: ReadonlySet<string>): string {
  const header = ['#', 'order', 'customer', 'total', 'state', 'why', 'history', 'duplicates'];
  const rows = orders.map((order, index) => [
    String(index + 1),
    `…${order.id.slice(-8)}`,
    order.customerId,
    formatMoney(order.totalCents, order.currency),
    order.state,
    shortFailureReason(order.failureReason),
    String(order.history.length),
    duplicated.has(order.id) ? 'injected' : '',
  ]);
  const rightAligned = new Set([0, 3, 6]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

/**
 * The gist of a failure reason: `payment failed: card_declined` is
 * card_declined, `payment failed: gateway_unavailable: gateway unavailable
 * (attempt 3)` is gateway_unavailable.
 */
export function shortFailureReason(reason: string | null): string {
  if (!reason) return '';
  const withoutPrefix = reason.replace(/^payment failed:\s*/, '');
  return withoutPrefix.split(':')[0]!.trim();
}
