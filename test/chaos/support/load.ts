import { setTimeout as sleep } from 'node:timers/promises';
import { CATALOG_SKUS, apiHeaders, type ApiEndpoint } from '#local-infra';

/**
 * Places orders the way a well-behaved client does when the API may be down:
 * a bounded number of requests in flight, every order with its own
 * Idempotency-Key, and each request retried with the same key and body until
 * the API accepts it. Whether the first attempt was lost before or after the
 * order was committed, the retry then answers with that same order.
 */

export interface OrderRequest {
  customerId: string;
  currency: string;
  lines: Array<{ sku: string; quantity: number; unitPriceCents: number }>;
}

export interface AcceptedOrder {
  /** 1-based position in the run. */
  index: number;
  idempotencyKey: string;
  orderId: string;
  /** HTTP attempts it took (1 when the API was up). */
  attempts: number;
  /** The accepting answer was a replay of an earlier attempt (Idempotent-Replayed). */
  replayed: boolean;
}

export interface LoadStats {
  /** Attempts that failed and were retried (connection refused or reset, 5xx, timeout). */
  retries: number;
  /** Accepted orders whose answer was a replay: an earlier attempt had created the order. */
  replayed: number;
  /** Why attempts failed, by kind, e.g. { ECONNREFUSED: 12, 'HTTP 500': 3 }. */
  failures: Record<string, number>;
}

export interface OrderLoad {
  /** Accepted so far, in the order they were accepted. */
  readonly accepted: readonly AcceptedOrder[];
  readonly stats: LoadStats;
  /** Resolves once at least `count` orders were accepted (or rejects if the load failed). */
  whenAccepted(count: number): Promise<void>;
  /** Every order accepted, sorted by index. */
  readonly done: Promise<AcceptedOrder[]>;
  /** Gives up: no new request is sent, and `done` rejects (used when the run already failed). */
  stop(): void;
}

export interface LoadOptions {
  api: ApiEndpoint;
  count: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Part of every key and customer id, so two runs never share them. */
  runId: string;
  /** Give up on an order that is not accepted within this long. */
  perOrderDeadlineMs?: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_PER_ORDER_DEADLINE_MS = 90_000;

/**
 * The i-th order of a run: about forty customers and varied amounts, so the
 * mock gateway (which decides by customer and amount) declines a spread of
 * orders rather than a few clusters.
 */
export function chaosOrderRequest(runId: string, index: number): OrderRequest {
  const lineCount = 1 + (index % 3);
  return {
    customerId: `chaos-${runId}-${index % 41}`,
    currency: 'EUR',
    lines: Array.from({ length: lineCount }, (_, n) => ({
      sku: CATALOG_SKUS[(index * 7 + n) % CATALOG_SKUS.length],
      quantity: 1 + ((index + n) % 4),
      unitPriceCents: 500 + ((index * 131 + n * 17) % 9_000),
    })),
  };
}

export function startOrderLoad(options: LoadOptions): OrderLoad {
  const accepted: AcceptedOrder[] = [];
  const stats: LoadStats = { retries: 0, replayed: 0, failures: {} };
  const waiters: Array<{ count: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  let failed: unknown;
  const stopped = { value: false };
  const url = `${options.api.url}/api/v1/orders`;
  let next = 1;

  const notify = (): void => {
    for (const waiter of [...waiters]) {
      if (failed !== undefined) waiter.reject(failed);
      else if (accepted.length >= waiter.count) waiter.resolve();
      else continue;
      waiters.splice(waiters.indexOf(waiter), 1);
    }
  };

  const worker = async (): Promise<void> => {
    while (next <= options.count && failed === undefined) {
      const index = next++;
      const idempotencyKey = `chaos-${options.runId}-${index}`;
      const body = JSON.stringify(chaosOrderRequest(options.runId, index));
      const order = await placeUntilAccepted(url, options.api, body, idempotencyKey, options.perOrderDeadlineMs ?? DEFAULT_PER_ORDER_DEADLINE_MS, stats, stopped);
      accepted.push({ index, idempotencyKey, ...order });
      if (order.replayed) stats.replayed += 1;
      notify();
    }
  };

  const done = Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker)).then(
    () => [...accepted].sort((a, b) => a.index - b.index),
    (error: unknown) => {
      failed = error;
      notify();
      throw error;
    },
  );
  // Rejections are seen through `done` and whenAccepted(); not unhandled meanwhile.
  done.catch(() => undefined);

  return {
    accepted,
    stats,
    done,
    stop() {
      stopped.value = true;
    },
    whenAccepted(count) {
      if (failed !== undefined) return Promise.reject(failed);
      if (accepted.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ count, resolve, reject }));
    },
  };
}

async function placeUntilAccepted(
  url: string,
  api: ApiEndpoint,
  body: string,
  idempotencyKey: string,
  deadlineMs: number,
  stats: LoadStats,
  stopped: { value: boolean },
): Promise<{ orderId: string; attempts: number; replayed: boolean }> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    if (stopped.value) throw new Error('the order load was stopped');
    let failure: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: apiHeaders(api, { 'content-type': 'application/json', 'idempotency-key': idempotencyKey }),
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status === 200 || response.status === 201) {
        const order = JSON.parse(text) as { id: string };
        return { orderId: order.id, attempts: attempt, replayed: response.headers.get('idempotent-replayed') === 'true' };
      }
      // 4xx is our mistake (or a key reused with another body): retrying cannot help.
      if (response.status < 500) throw new Error(`POST ${url} (Idempotency-Key ${idempotencyKey}) answered ${response.status}: ${text}`);
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('POST ')) throw error;
      failure = describeNetworkError(error);
    }
    stats.retries += 1;
    stats.failures[failure] = (stats.failures[failure] ?? 0) + 1;
    if (Date.now() >= deadline) {
      throw new Error(`order with Idempotency-Key ${idempotencyKey} not accepted after ${attempt} attempts in ${deadlineMs} ms (last: ${failure})`);
    }
    await sleep(Math.min(1_000, 100 * attempt));
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
