import type { ApiClient } from './client';

/**
 * What the key may do, learned by asking: the console shows operator pages
 * and buttons only to a key with the operator scope. A cheap operator-only
 * read answers 403 without that scope, 401 for a key that is not valid.
 */
export type KeyCheck = { valid: false } | { valid: true; operator: boolean };

export async function checkKey(api: ApiClient): Promise<KeyCheck> {
  const read = await api.GET('/api/v1/orders', { params: { query: { limit: 1 } } });
  if (read.response.status === 401) return { valid: false };
  const operator = await api.GET('/api/v1/dead-letters', { params: { query: { limit: 1 } } });
  return { valid: true, operator: operator.response.ok };
}
