import type { OrderState } from '#contracts';
import { apiHeaders, type ApiEndpoint } from '#local-infra';

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

/** A line of an order as the API shows it, priced by the server. */
export interface OrderLineView extends OrderLineRequest {
  lineTotalCents: number;
}

export interface OrderView {
  id: string;
  customerId: string;
  state: OrderState;
  version: number;
  currency: string;
  totalCents: number;
  failureReason: string | null;
  lines: OrderLineView[];
  createdAt: string;
  updatedAt: string;
  history: OrderHistoryEntry[];
}

export interface PlacedOrder {
  status: number;
  order: OrderView;
  /** The server answered from an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  /** HTTP attempts it took: more than 1 when orders-api was down or failing meanwhile. */
  attempts: number;
}

/** How long to keep retrying one order while orders-api is down or answers 5xx. */
const PLACE_RETRY_DEADLINE_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

export class OrdersClient {
  private readonly ordersUrl: string;

  constructor(private readonly api: ApiEndpoint) {
    this.ordersUrl = `${api.url}/api/v1/orders`;
  }

  /**
   * Places an order, and as a careful client does when the API is down (a
   * refused or reset connection, a 5xx, no answer in time) sends the same
   * request with the same Idempotency-Key again until it is accepted: if an
   * earlier attempt did create the order, the answer is that order (a replay).
   * A 4xx is not retried: the request itself is wrong.
   */
  async place(request: CreateOrderRequest, idempotencyKey: string, onRetry?: (why: string) => void): Promise<PlacedOrder> {
    const deadline = Date.now() + PLACE_RETRY_DEADLINE_MS;
    for (let attempt = 1; ; attempt++) {
      let why: string;
      try {
        const response = await fetch(this.ordersUrl, {
          method: 'POST',
          headers: apiHeaders(this.api, { 'content-type': 'application/json', 'idempotency-key': idempotencyKey }),
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.status < 500) {
          const order = await expectJson<OrderView>(response, `POST ${this.ordersUrl}`);
          return { status: response.status, order, replayed: response.headers.get('idempotent-replayed') === 'true', attempts: attempt };
        }
        why = `HTTP ${response.status}`;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('POST ')) throw error;
        why = networkError(error);
      }
      if (Date.now() >= deadline) throw new Error(`POST ${this.ordersUrl} (Idempotency-Key ${idempotencyKey}) not accepted after ${attempt} attempts: ${why}`);
      onRetry?.(why);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 * attempt)));
    }
  }

  async get(orderId: string): Promise<OrderView> {
    const url = `${this.ordersUrl}/${orderId}`;
    return expectJson<OrderView>(await fetch(url, { headers: apiHeaders(this.api), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }), `GET ${url}`);
  }
}

function networkError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
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
