import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/public-api';

/**
 * The one way the console calls the REST API: openapi-fetch typed by the
 * public OpenAPI document (generated/public-api.d.ts, made by build:console), so a
 * page that reads a field the API does not have fails to compile.
 */
export type ApiClient = ReturnType<typeof createApiClient>;
export type Schemas = components['schemas'];
export type OrderView = Schemas['OrderViewDto'];
export type OrderState = OrderView['state'];
export type Shipping = Schemas['ShippingDto'];
export type OrderTimeline = Schemas['OrderTimelineDto'];
export type Product = Schemas['ProductViewDto'];
export type Analytics = Schemas['AnalyticsDto'];
export type DeadLetterSummary = Schemas['DeadLetterSummaryDto'];
export type DeadLetterDetail = Schemas['DeadLetterDetailDto'];
export type OperationsView = Schemas['OperationsViewDto'];

export const API_KEY_HEADER = 'X-API-Key';

export function createApiClient(apiKey: string) {
  const client = createClient<paths>({ baseUrl: window.location.origin });
  const authenticate: Middleware = {
    onRequest({ request }) {
      request.headers.set(API_KEY_HEADER, apiKey);
      return request;
    },
  };
  client.use(authenticate);
  return client;
}

/** What an error answer says, for a message on the page: the reason, and each refused field. */
export function describeError(error: unknown, status?: number): string {
  if (error && typeof error === 'object') {
    const body = error as { message?: unknown; errors?: Array<{ field?: string; message?: string; rule?: string }> };
    const fields = (body.errors ?? []).map((e) => `${e.field ?? '?'}: ${e.message ?? e.rule ?? 'invalid'}`);
    const message = typeof body.message === 'string' ? body.message : Array.isArray(body.message) ? body.message.join('; ') : '';
    const text = [message, ...fields].filter(Boolean).join(' — ');
    if (text) return text;
  }
  return status ? `the API answered ${status}` : 'the API could not be reached';
}

/**
 * Some DTOs document nullable strings without a type, so the generated type
 * is `Record<string, never> | null`; this reads such a field as the string it is.
 */
export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The same for nullable numbers documented without a type. */
export function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
