import type { ApiEndpoint } from '#local-infra';
import { retryOrderRequest, type InjectionReport } from './duplicate-injection.js';
import { demoOrderRequest, type CreateOrderRequest, type OrdersClient, type PlacedOrder } from './orders-client.js';
import { isOutOfStockTarget, outOfStockRequest, readProduct } from './stock.js';
import { formatMoney } from './table.js';

export interface DemoOrder {
  /** 1-based position in the run. */
  index: number;
  placed: PlacedOrder;
  /** Chosen for duplicate injection (every K-th order). */
  duplicated: boolean;
  /** Chosen to ask for more than there is (every N-th order): the SKU it is short of. */
  outOfStockSku?: string;
}

export interface PlacementSettings {
  orders: number;
  duplicateEvery: number;
  /** Part of every Idempotency-Key, so keys of two runs on one database never meet. */
  runId: string;
  /** Every N-th order asks for more of its first line's product than inventory has on hand; 0: none. */
  outOfStockEvery: number;
  /** inventory's API, where an out-of-stock order reads its product first. */
  inventory: ApiEndpoint;
}

/** The demo's ordinary orders (those not chosen to be short of stock): what the stock must be able to serve. */
export function ordinaryOrderRequests(settings: Pick<PlacementSettings, 'orders' | 'outOfStockEvery'>): CreateOrderRequest[] {
  return Array.from({ length: settings.orders }, (_, n) => n + 1)
    .filter((index) => !isOutOfStockTarget(index, settings.outOfStockEvery))
    .map(demoOrderRequest);
}

/** Every SKU the demo orders, in SKU order. */
export function orderedSkus(settings: Pick<PlacementSettings, 'orders'>): string[] {
  const skus = Array.from({ length: settings.orders }, (_, n) => demoOrderRequest(n + 1).lines.map((line) => line.sku)).flat();
  return [...new Set(skus)].sort();
}

export function isDuplicateTarget(index: number, duplicateEvery: number): boolean {
  return duplicateEvery > 0 && index % duplicateEvery === 0;
}

/**
 * Places the orders one after another, each with its own Idempotency-Key;
 * for every K-th order the request is sent a second time at once (level a),
 * as a client would after a timeout, and the answer is recorded in `report`.
 * Every N-th order (outOfStockEvery) first reads its first line's product
 * from inventory and asks for one unit more than is on hand.
 */
export async function placeOrders(
  client: OrdersClient,
  settings: PlacementSettings,
  report: InjectionReport,
  log: (line: string) => void,
  afterOrder: (index: number) => Promise<void> = async () => {},
): Promise<DemoOrder[]> {
  const placed: DemoOrder[] = [];
  for (let index = 1; index <= settings.orders; index++) {
    let request = demoOrderRequest(index);
    let outOfStock = '';
    let outOfStockSku: string | undefined;
    if (isOutOfStockTarget(index, settings.outOfStockEvery)) {
      const product = await readProduct(settings.inventory, request.lines[0]!.sku);
      request = outOfStockRequest(request, product);
      outOfStockSku = product.sku;
      outOfStock = ` | out of stock on purpose: asks ${request.lines[0]!.quantity} × ${product.sku} (on hand ${product.onHand}, available ${product.available})`;
    }
    const idempotencyKey = `demo-${settings.runId}-${index}`;
    let firstFailure: string | undefined;
    const order = await client.place(request, idempotencyKey, (why) => {
      if (firstFailure === undefined) log(`placing order ${index}: orders-api unavailable (${why}), retrying with the same Idempotency-Key...`);
      firstFailure ??= why;
    });
    const duplicated = isDuplicateTarget(index, settings.duplicateEvery);
    let note = outOfStock;
    if (duplicated) {
      const result = await retryOrderRequest(client, request, idempotencyKey, order);
      report.httpRetries.push({ orderId: order.order.id, result });
      note += result.sameOrder && result.replayedHeader ? ' | HTTP retry: same order, replayed' : ' | HTTP retry: DIFFERENT ANSWER';
    }
    if (order.attempts > 1) note += ` | accepted on attempt ${order.attempts}${order.replayed ? ' (a replay: an earlier attempt had created it)' : ''}`;
    const { id, customerId, totalCents, currency } = order.order;
    log(`placing orders ${index}/${settings.orders}: …${id.slice(-8)} ${customerId} ${formatMoney(totalCents, currency)}${note}`);
    placed.push({ index, placed: order, duplicated, ...(outOfStockSku ? { outOfStockSku } : {}) });
    await afterOrder(index);
  }
  return placed;
}
