import { OrderState } from '#contracts';
import { apiHeaders, listCatalog, stockUpCatalog, type ApiEndpoint, type CatalogProduct } from '#local-infra';
import type { CreateOrderRequest, OrderView } from './orders-client.js';
import { renderTable } from './table.js';
import type { Check } from './verification.js';
import { readUntilSettled } from './waiting.js';

/**
 * The stock side of the demo, through inventory's REST API: the products the
 * demo orders, before and after; the out-of-stock order (--out-of-stock-every);
 * and the check that the stock moved exactly as the orders ended.
 */

/** A product's stock as GET /api/v1/products shows it. */
export type StockLevel = Pick<CatalogProduct, 'sku' | 'onHand' | 'reserved' | 'available'>;

/** The largest quantity one order line may ask for (orders-api's orderLineRequest). */
const MAX_LINE_QUANTITY = 10_000;

/** Units per SKU over some order lines, in SKU order. */
export function unitsBySku(lines: Iterable<{ sku: string; quantity: number }>): Map<string, number> {
  const units = new Map<string, number>();
  for (const { sku, quantity } of lines) units.set(sku, (units.get(sku) ?? 0) + quantity);
  return new Map([...units].sort(([a], [b]) => a.localeCompare(b)));
}

/** What the SHIPPED orders took off the shelf, per SKU: exactly what on hand must have gone down by. */
export function shippedUnits(orders: readonly Pick<OrderView, 'state' | 'lines'>[]): Map<string, number> {
  return unitsBySku(orders.filter((order) => order.state === OrderState.SHIPPED).flatMap((order) => order.lines));
}

/** Every N-th order (1-based) asks for more than there is; 0: none. */
export function isOutOfStockTarget(index: number, outOfStockEvery: number): boolean {
  return outOfStockEvery > 0 && index % outOfStockEvery === 0;
}

/**
 * The order `request` with its first line asking for one unit more than the
 * product has on hand. On hand, not available: available is on hand minus
 * what is reserved, and grows again when another order's reservation is
 * released (a declined payment) between our read and this order's turn;
 * nothing but a restock (the demo does none meanwhile) raises on hand. So the
 * order is rejected whatever the stock was, and its other lines with it.
 */
export function outOfStockRequest(request: CreateOrderRequest, product: StockLevel): CreateOrderRequest {
  const [first, ...rest] = request.lines;
  if (!first || first.sku !== product.sku) throw new Error(`the order's first line is not ${product.sku}`);
  const quantity = product.onHand + 1;
  if (quantity > MAX_LINE_QUANTITY) throw new Error(`${product.sku} has ${product.onHand} on hand: an order line cannot ask for more than ${MAX_LINE_QUANTITY}`);
  return { ...request, lines: [{ ...first, quantity }, ...rest] };
}

/** What is wrong with how the out-of-stock orders and the others ended: each planned one REJECTED naming its SKU, no other REJECTED. */
export function outOfStockProblems(orders: readonly Pick<OrderView, 'id' | 'state' | 'failureReason'>[], plannedSku: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const order of orders) {
    const sku = plannedSku.get(order.id);
    if (sku === undefined) {
      if (order.state === OrderState.REJECTED) problems.push(`${order.id} was REJECTED though there was stock for it (${order.failureReason ?? 'no reason'})`);
    } else if (order.state !== OrderState.REJECTED) {
      problems.push(`${order.id} asked for more ${sku} than on hand but is ${order.state}`);
    } else if (!(order.failureReason ?? '').includes(sku)) {
      problems.push(`${order.id} is REJECTED but its failureReason does not name ${sku}: ${order.failureReason ?? 'none'}`);
    }
  }
  return problems;
}

export function checkOutOfStock(orders: readonly OrderView[], plannedSku: ReadonlyMap<string, string>): Check {
  const problems = outOfStockProblems(orders, plannedSku);
  return {
    name: `orders asking for more than on hand (${plannedSku.size}) ended REJECTED naming the SKU; no other order was REJECTED`,
    passed: problems.length === 0,
    problems,
  };
}

/**
 * What is wrong with the stock once every order ended, per SKU of `before`:
 * nothing may still be reserved (a shipped order's units were committed, a
 * failed or rejected one's released or never held), and on hand went down by
 * exactly the units the SHIPPED orders took.
 */
export function stockProblems(before: readonly StockLevel[], after: readonly StockLevel[], shipped: ReadonlyMap<string, number>): string[] {
  const now = new Map(after.map((level) => [level.sku, level]));
  const problems: string[] = [];
  for (const was of before) {
    const is = now.get(was.sku);
    if (!is) {
      problems.push(`${was.sku}: no longer in the catalog`);
      continue;
    }
    if (is.reserved !== 0) problems.push(`${was.sku}: ${is.reserved} still reserved`);
    const taken = was.onHand - is.onHand;
    const expected = shipped.get(was.sku) ?? 0;
    if (taken !== expected) problems.push(`${was.sku}: on hand went from ${was.onHand} to ${is.onHand} (${taken} taken), but the SHIPPED orders took ${expected}`);
  }
  return problems;
}

/** The stock of `skus` as a compact table; with `before`, each figure as before → after, and the units shipped. */
export function renderStockTable(levels: readonly StockLevel[], before?: readonly StockLevel[], shipped?: ReadonlyMap<string, number>): string {
  const was = new Map((before ?? []).map((level) => [level.sku, level]));
  const figure = (sku: string, now: number, pick: (level: StockLevel) => number) => {
    const then = was.get(sku);
    return then ? `${pick(then)} → ${now}` : String(now);
  };
  const rows = levels.map((level) => [
    level.sku,
    figure(level.sku, level.onHand, (l) => l.onHand),
    figure(level.sku, level.reserved, (l) => l.reserved),
    figure(level.sku, level.available, (l) => l.available),
    ...(shipped ? [String(shipped.get(level.sku) ?? 0)] : []),
  ]);
  return renderTable(['sku', 'on hand', 'reserved', 'available', ...(shipped ? ['shipped'] : [])], rows, new Set([1, 2, 3, 4]));
}

/** The SKUs of `skus`, as inventory's API shows them now (in the order given). */
export async function readStock(inventory: ApiEndpoint, skus: readonly string[]): Promise<StockLevel[]> {
  const bySku = new Map((await listCatalog(inventory)).map((product) => [product.sku, product]));
  return skus.map((sku) => {
    const product = bySku.get(sku);
    if (!product) throw new Error(`${sku} is not in inventory's catalog`);
    return { sku, onHand: product.onHand, reserved: product.reserved, available: product.available };
  });
}

/** GET /api/v1/products/{sku}, tried again for a while when inventory does not answer (--kill-worker inventory). */
export async function readProduct(inventory: ApiEndpoint, sku: string, timeoutMs = 30_000): Promise<StockLevel> {
  const url = `${inventory.url}/api/v1/products/${encodeURIComponent(sku)}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url, { headers: apiHeaders(inventory), signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (response?.ok) return (await response.json()) as StockLevel;
    if (response && response.status < 500) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    if (Date.now() >= deadline) throw new Error(`GET ${url}: no answer from inventory within ${timeoutMs / 1_000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * SKUs whose available stock is less than `needed` of them: the demo's
 * ordinary orders must all be reserved, however many it places.
 */
export function shortSkus(levels: readonly StockLevel[], needed: ReadonlyMap<string, number>): string[] {
  return levels.filter((level) => level.available < (needed.get(level.sku) ?? 0)).map((level) => level.sku);
}

/**
 * Restocks (as an operator, through the API) when the seeded stock cannot
 * serve every ordinary order (a long run: --orders 200): every product to at
 * least the most any SKU needs. Returns the SKUs that were short.
 */
export async function stockUpFor(inventory: ApiEndpoint, levels: readonly StockLevel[], needed: ReadonlyMap<string, number>): Promise<string[]> {
  const short = shortSkus(levels, needed);
  if (short.length > 0) await stockUpCatalog(inventory, Math.max(...needed.values()));
  return short;
}

/**
 * The stock once it has settled after the orders (inventory commits and
 * releases on consumers of its own, a moment after the order's end), and
 * the check that it moved exactly as the orders ended. After `timeoutMs`,
 * the last reading and what still differs.
 */
export async function stockAfterOrders(
  inventory: ApiEndpoint,
  before: readonly StockLevel[],
  orders: readonly OrderView[],
  timeoutMs: number,
): Promise<{ after: StockLevel[] | undefined; shipped: Map<string, number>; check: Check }> {
  const shipped = shippedUnits(orders);
  const skus = before.map((level) => level.sku);
  const { value: after, problems } = await readUntilSettled(
    () => readStock(inventory, skus),
    (after) => stockProblems(before, after, shipped),
    timeoutMs,
    'no answer from GET /api/v1/products',
  );
  return {
    after,
    shipped,
    check: { name: `stock of the ${skus.length} products ordered: nothing left reserved, on hand down by exactly the units shipped`, passed: problems.length === 0, problems },
  };
}
