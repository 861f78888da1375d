import { randomBytes } from 'node:crypto';

/**
 * API keys for a local pipeline, fresh for every start: the demo, the bench
 * and the tests call the API with them, and orders-api gets them as API_KEYS.
 * Scopes are spelled here as in libs/http-api (Scope), which tools do not import.
 */
export interface PipelineApiKeys {
  /** Every scope: what the demo, the bench and most tests use. */
  readonly operator: string;
  /** Reading, placing and cancelling orders: a storefront's key. */
  readonly storefront: string;
  /** Reading orders only. */
  readonly reader: string;
}

/** Where the API is and the key to call it with: what every client of a local pipeline needs. */
export interface ApiEndpoint {
  /** Base URL of orders-api (the API is under /api/v1). */
  readonly url: string;
  readonly key: string;
}

/** The request headers that authenticate a call to `api`, plus `extra`. */
export function apiHeaders(api: ApiEndpoint, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-api-key': api.key, ...extra };
}

export function generatePipelineApiKeys(): { keys: PipelineApiKeys; env: string } {
  const keys: PipelineApiKeys = { operator: newKey(), storefront: newKey(), reader: newKey() };
  const entries = [
    { name: 'local-operator', key: keys.operator, scopes: ['orders:read', 'orders:place', 'orders:cancel', 'operator'] },
    { name: 'local-storefront', key: keys.storefront, scopes: ['orders:read', 'orders:place', 'orders:cancel'] },
    { name: 'local-reader', key: keys.reader, scopes: ['orders:read'] },
  ];
  return { keys, env: JSON.stringify(entries) };
}

function newKey(): string {
  return randomBytes(24).toString('base64url');
}
