import { API_KEY_HEADER } from './client';

/**
 * GET /api/v1/operations (operator): the pipeline's live figures. Its shape
 * is the contract agreed for issue 18, written out here until the route is
 * in the public OpenAPI document; then this becomes Schemas['...'] and the
 * call goes through the typed client like every other.
 */
export interface OperationsView {
  at: string;
  consumers: Array<{ stream: string; name: string; service: string; filterSubject: string; pending: number; ackPending: number; redelivered: number; waiting: number }>;
  stages: Array<{ name: string; subject: string; perSecond: number }>;
  outbox: Array<{ service: string; instances: number; backlog: number; oldestAgeSeconds: number | null; reportedAt: string | null }>;
  deadLetters: { open: number };
}

export async function readOperations(apiKey: string): Promise<OperationsView | { status: number }> {
  const response = await fetch('/api/v1/operations', { headers: { [API_KEY_HEADER]: apiKey } });
  if (!response.ok) return { status: response.status };
  return (await response.json()) as OperationsView;
}
