import { apiHeaders, type ApiEndpoint } from '#local-infra';

/** What the browser tests read of an order (GET /api/v1/orders/{id}). */
export interface OrderView {
  id: string;
  state: string;
  customerId: string;
  currency: string;
  totalCents: number;
  lines: Array<{ sku: string; quantity: number; unitPriceCents: number }>;
  carrier: string | null;
  trackingNumber: string | null;
  shipping: { name: string; email?: string; address: { line1: string; line2?: string; city: string; postalCode: string; country: string } } | null;
}

/** One unit of `sku` for `customerId`, through the REST API: an order the page did not place. */
export async function placeOrder(api: ApiEndpoint, customerId: string, line: { sku: string; unitPriceCents: number }): Promise<OrderView> {
  const response = await fetch(`${api.url}/api/v1/orders`, {
    method: 'POST',
    headers: apiHeaders(api, { 'content-type': 'application/json' }),
    body: JSON.stringify({ customerId, currency: 'EUR', lines: [{ ...line, quantity: 1 }] }),
  });
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as OrderView;
}

export async function getOrder(api: ApiEndpoint, id: string): Promise<OrderView> {
  const response = await fetch(`${api.url}/api/v1/orders/${id}`, { headers: apiHeaders(api) });
  if (!response.ok) throw new Error(`GET /orders/${id} answered ${response.status}`);
  return (await response.json()) as OrderView;
}
