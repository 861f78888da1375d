import type { OrderState } from '#contracts';

/**
 * A small client of the orders-api HTTP API, as an outside caller sees it:
 * the demo goes through the public API, not through the database.
 */

export interface OrderLineRequest {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface CreateOrderRequest {
  customerId: string;
  currency?: string;
  lines: OrderLineRequest[];
}

export interface OrderHistoryEntry {
  from: OrderState | null;
  to: OrderState;
  version: number;
  reason: string | null;
  occurredAt: string;
}

export interface OrderView {
  id: string;
  customerId: string;
  state: OrderState;
  version: number;
  currency: string;
  totalCents: number;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
  history: OrderHistoryEntry[];
}

export interface PlacedOrder {
  status: number;
  order: OrderView;
  /** The server answered from an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export class OrdersClient {
  private readonly ordersUrl: string;

  constructor(apiUrl: string) {
    this.ordersUrl = `${apiUrl}/api/v1/orders`;
  }

  async place(request: CreateOrderRequest, idempotencyKey: string): Promise<PlacedOrder> {
    const response = await fetch(this.ordersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(request),
    });
    const order = await expectJson<OrderView>(response, `POST ${this.ordersUrl}`);
    return { status: response.status, order, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }

  async get(orderId: string): Promise<OrderView> {
    const url = `${this.ordersUrl}/${orderId}`;
    return expectJson<OrderView>(await fetch(url), `GET ${url}`);
  }
}

async function expectJson<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

// A fixed catalogue and a deterministic mix, so two runs place the same orders.
const CATALOGUE: readonly OrderLineRequest[] = [
  { sku: 'COFFEE-BEANS-1KG', quantity: 1, unitPriceCents: 2_490 },
  { sku: 'GRINDER-HAND', quantity: 1, unitPriceCents: 5_900 },
  { sku: 'FILTER-PAPER-100', quantity: 2, unitPriceCents: 450 },
  { sku: 'MUG-CERAMIC', quantity: 4, unitPriceCents: 1_200 },
  { sku: 'KETTLE-GOOSENECK', quantity: 1, unitPriceCents: 7_990 },
];
const CUSTOMERS = 5;

/** The i-th demo order (1-based): one to three catalogue lines for one of a few customers. */
export function demoOrderRequest(i: number): CreateOrderRequest {
  const lineCount = 1 + (i % 3);
  const lines = Array.from({ length: lineCount }, (_, n) => {
    const item = CATALOGUE[(i + n * 2) % CATALOGUE.length]!;
    return { ...item, quantity: item.quantity + ((i + n) % 2) };
  });
  return { customerId: `customer-${String(1 + (i % CUSTOMERS)).padStart(2, '0')}`, currency: 'EUR', lines };
}
