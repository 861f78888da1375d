import { OrderState } from '#contracts';
import { apiHeaders, type ApiEndpoint } from '#local-infra';
import type { OrderView } from './orders-client.js';
import type { Check } from './verification.js';
import { readUntilSettled } from './waiting.js';

/** GET /api/v1/analytics as the analytics service answers it: the parts the demo shows and checks. */
export interface AnalyticsFigures {
  orders: { created: number; paid: number; failed: number; cancelled: number; refunded: number; rejected: number };
  revenue: Array<{ currency: string; ordersPaid: number; revenueCents: number; averageOrderValueCents: number }>;
  topCustomers: Array<{ customerId: string; currency: string; orders: number; revenueCents: number }>;
  topProducts: Array<{ sku: string; currency: string; quantity: number }>;
}

/** What the orders themselves say the figures must be: analytics keeps its own tables, fed by its own consumers. */
interface Recount {
  created: number;
  paid: number;
  failed: number;
  rejected: number;
  revenueCents: Record<string, number>;
}

function recount(orders: readonly OrderView[]): Recount {
  const paid = orders.filter((order) => order.history.some((change) => change.to === OrderState.PAID) && order.state !== OrderState.CANCELLED);
  const revenueCents: Record<string, number> = {};
  for (const order of paid) revenueCents[order.currency] = (revenueCents[order.currency] ?? 0) + order.totalCents;
  const inState = (state: OrderState) => orders.filter((order) => order.state === state).length;
  return { created: orders.length, paid: paid.length, failed: inState(OrderState.FAILED), rejected: inState(OrderState.REJECTED), revenueCents };
}

/** What differs between the analytics figures and a recount from the orders (nothing: they agree). */
export function analyticsDifferences(figures: AnalyticsFigures, orders: readonly OrderView[]): string[] {
  return differences(figures, recount(orders));
}

function differences(figures: AnalyticsFigures, expected: Recount): string[] {
  const problems: string[] = [];
  for (const key of ['created', 'paid', 'failed', 'rejected'] as const) {
    if (figures.orders[key] !== expected[key]) problems.push(`${key}: analytics says ${figures.orders[key]}, the orders ${expected[key]}`);
  }
  const byCurrency = (entries: Array<[string, number]>) => JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
  const revenue = byCurrency(figures.revenue.filter((r) => r.revenueCents > 0).map((r) => [r.currency, r.revenueCents]));
  const recounted = byCurrency(Object.entries(expected.revenueCents));
  if (revenue !== recounted) problems.push(`revenue: analytics says ${revenue}, the orders ${recounted}`);
  return problems;
}

/**
 * The analytics figures once they have caught up with the orders (analytics
 * applies the same events on its own consumers, a moment later), and a check
 * that they equal a recount from the orders. After `timeoutMs`, the last
 * figures and what still differs.
 */
export async function analyticsAfterOrders(analytics: ApiEndpoint, orders: readonly OrderView[], timeoutMs: number): Promise<{ figures: AnalyticsFigures | undefined; check: Check }> {
  const expected = recount(orders);
  const { value: figures, problems } = await readUntilSettled(
    () => readAnalytics(analytics),
    (figures) => differences(figures, expected),
    timeoutMs,
    'no answer from GET /api/v1/analytics',
  );
  return {
    figures,
    check: { name: 'analytics (its own consumers and tables) equal a recount from the orders: created, paid, failed, rejected, revenue per currency', passed: problems.length === 0, problems },
  };
}

async function readAnalytics(analytics: ApiEndpoint): Promise<AnalyticsFigures> {
  const response = await fetch(`${analytics.url}/api/v1/analytics`, { headers: apiHeaders(analytics), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /api/v1/analytics answered ${response.status}`);
  return (await response.json()) as AnalyticsFigures;
}

/** The summary the demo prints at the end. */
export function analyticsLines(figures: AnalyticsFigures): string[] {
  const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;
  const { orders } = figures;
  return [
    `analytics: ${orders.created} orders, ${orders.paid} paid, ${orders.failed} failed, ${orders.cancelled} cancelled, ${orders.rejected} rejected`,
    ...figures.revenue.map((r) => `  revenue ${money(r.revenueCents, r.currency)} from ${r.ordersPaid} orders, average ${money(r.averageOrderValueCents, r.currency)}`),
    `  top customers: ${figures.topCustomers.slice(0, 3).map((c) => `${c.customerId} ${money(c.revenueCents, c.currency)}`).join(', ') || 'none'}`,
    `  top products: ${figures.topProducts.slice(0, 3).map((p) => `${p.sku} ×${p.quantity}`).join(', ') || 'none'}`,
  ];
}
