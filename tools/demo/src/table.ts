import { OrderState } from '#contracts';
import type { OrderView } from './orders-client.js';

/** A plain-text table: a header, a rule, the rows; columns in `rightAligned` (by index) padded on the left. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

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
  return renderTable(header, rows, new Set([0, 3, 6]));
}

export function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

/**
 * The gist of a failure reason: `payment failed: card_declined` is
 * card_declined, `payment failed: gateway_unavailable: gateway unavailable
 * (attempt 3)` is gateway_unavailable, `out of stock: MUG (asked 4,
 * available 1), KETTLE (asked 2, available 0)` is `out of stock: MUG, KETTLE`.
 */
export function shortFailureReason(reason: string | null): string {
  if (!reason) return '';
  if (reason.startsWith('out of stock:')) return reason.replace(/\s*\([^)]*\)/g, '');
  const withoutPrefix = reason.replace(/^payment failed:\s*/, '');
  return withoutPrefix.split(':')[0]!.trim();
}

/** The final states with their counts, and for FAILED and REJECTED the gist of why: `10 SHIPPED, 1 FAILED (1 card_declined), ...`. */
export function summariseStates(orders: readonly Pick<OrderView, 'state' | 'failureReason'>[]): string {
  const byState = new Map<string, Map<string, number>>();
  for (const order of orders) {
    const reasons = byState.get(order.state) ?? new Map<string, number>();
    byState.set(order.state, reasons);
    const reason = order.state === OrderState.FAILED || order.state === OrderState.REJECTED ? shortFailureReason(order.failureReason) : '';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return [...byState]
    .map(([state, reasons]) => {
      const count = [...reasons.values()].reduce((sum, n) => sum + n, 0);
      const why = [...reasons].filter(([reason]) => reason !== '').map(([reason, n]) => `${n} ${reason}`);
      return `${count} ${state}${why.length > 0 ? ` (${why.join(', ')})` : ''}`;
    })
    .join(', ');
}
