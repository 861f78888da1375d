import { retryOrderRequest, type InjectionReport } from './duplicate-injection.js';
import { demoOrderRequest, type OrdersClient, type PlacedOrder } from './orders-client.js';
import { formatMoney } from './table.js';

export interface DemoOrder {
  /** 1-based position in the run. */
  index: number;
  placed: PlacedOrder;
  /** Chosen for duplicate injection (every K-th order). */
  duplicated: boolean;
}

export interface PlacementSettings {
  orders: number;
  duplicateEvery: number;
  /** Part of every Idempotency-Key, so keys of two runs on one database never meet. */
  runId: string;
}

export function isDuplicateTarget(index: number, duplicateEvery: number): boolean {
  return duplicateEvery > 0 && index % duplicateEvery === 0;
}

/**
 * Places the orders one after another, each with its own Idempotency-Key;
 * for every K-th order the request is sent a second time at once (level a),
 * as a client would after a timeout, and the answer is recorded in `report`.
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
    const request = demoOrderRequest(index);
    const idempotencyKey = `demo-${settings.runId}-${index}`;
    let firstFailure: string | undefined;
    const order = await client.place(request, idempotencyKey, (why) => {
      if (firstFailure === undefined) log(`placing order ${index}: orders-api unavailable (${why}), retrying with the same Idempotency-Key...`);
      firstFailure ??= why;
    });
    const duplicated = isDuplicateTarget(index, settings.duplicateEvery);
    let note = '';
    if (duplicated) {
      const result = await retryOrderRequest(client, request, idempotencyKey, order);
      report.httpRetries.push({ orderId: order.order.id, result });
      note = result.sameOrder && result.replayedHeader ? ' | HTTP retry: same order, replayed' : ' | HTTP retry: DIFFERENT ANSWER';
    }
    if (order.attempts > 1) note += ` | accepted on attempt ${order.attempts}${order.replayed ? ' (a replay: an earlier attempt had created it)' : ''}`;
    const { id, customerId, totalCents, currency } = order.order;
    log(`placing orders ${index}/${settings.orders}: …${id.slice(-8)} ${customerId} ${formatMoney(totalCents, currency)}${note}`);
    placed.push({ index, placed: order, duplicated });
    await afterOrder(index);
  }
  return placed;
}
