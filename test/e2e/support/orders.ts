import { OrderState, TERMINAL_ORDER_STATES } from '#contracts';
import { CATALOG_SKUS } from '#local-infra';
import { eventually } from './eventually.js';
import type { ApiClient, ApiResponse } from './http.js';

/** The order view as GET /api/v1/orders/:id answers it. */
export interface OrderView {
  id: string;
  customerId: string;
  state: OrderState;
  version: number;
  currency: string;
  totalCents: number;
  lines: Array<{ sku: string; quantity: number; unitPriceCents: number; lineTotalCents: number }>;
  failureReason: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: string | null;
  createdAt: string;
  updatedAt: string;
  history: Array<{ from: OrderState | null; to: OrderState; version: number; reason: string | null; occurredAt: string }>;
}

export interface OrderPage {
  items: OrderView[];
  nextCursor: string | null;
}

/** The whole history of an order that ended in each state, as (from → to) pairs. */
export const EXPECTED_TRANSITIONS = {
  SHIPPED: transitions([OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.PAID, OrderState.SHIPMENT_PREPARED, OrderState.SHIPPED]),
  FAILED: transitions([OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.FAILED]),
} as const;

function transitions(states: OrderState[]): Array<{ from: OrderState | null; to: OrderState; version: number }> {
  return states.map((to, index) => ({ from: index === 0 ? null : states[index - 1]!, to, version: index + 1 }));
}

/** Every order has one of SHARED_SKU, and one line of the others (catalog SKUs, so that inventory reserves them). */
export const SHARED_SKU = 'FILTER-PAPER-100';
const OWN_SKUS = CATALOG_SKUS.filter((sku) => sku !== SHARED_SKU);

export function orderRequest(customerId: string, n: number) {
  return {
    customerId,
    currency: 'EUR',
    lines: [
      { sku: OWN_SKUS[n % OWN_SKUS.length], quantity: 1 + (n % 3), unitPriceCents: 1_000 + n },
      { sku: SHARED_SKU, quantity: 1, unitPriceCents: 250 },
    ],
  };
}

export async function placeOrder(api: ApiClient, body: unknown, idempotencyKey?: string): Promise<OrderView> {
  const response = await api.post<OrderView>('/orders', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export function isTerminal(order: OrderView): boolean {
  return TERMINAL_ORDER_STATES.includes(order.state);
}

/** Every order, read from the database (the default read), once all are terminal. */
export async function waitUntilTerminal(api: ApiClient, ids: readonly string[], timeoutMs = 90_000): Promise<OrderView[]> {
  const latest = new Map<string, OrderView>();
  return eventually(
    `${ids.length} orders to reach a terminal state`,
    async () => {
      for (const id of ids) {
        if (latest.has(id) && isTerminal(latest.get(id)!)) continue;
        const response = await api.get<OrderView>(`/orders/${id}`);
        if (response.status !== 200) throw new Error(`GET /orders/${id} answered ${response.status}`);
        latest.set(id, response.body);
      }
      return ids.every((id) => isTerminal(latest.get(id)!)) ? ids.map((id) => latest.get(id)!) : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  ).catch((error: Error) => {
    const stuck = ids.filter((id) => !latest.has(id) || !isTerminal(latest.get(id)!)).map((id) => `${id}: ${latest.get(id)?.state}`);
    throw new Error(`${error.message}; not terminal: ${stuck.join(', ')}`);
  });
}

/** Follows nextCursor from the first page to the last. */
export async function listAllPages(api: ApiClient, query: Record<string, string>): Promise<OrderPage[]> {
  const pages: OrderPage[] = [];
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const response: ApiResponse<OrderPage> = await api.get<OrderPage>(`/orders?${params}`);
    if (response.status !== 200) throw new Error(`GET /orders?${params} answered ${response.status}: ${JSON.stringify(response.body)}`);
    pages.push(response.body);
    cursor = response.body.nextCursor;
    if (pages.length > 100) throw new Error('more than 100 pages: the cursor does not advance');
  } while (cursor);
  return pages;
}
