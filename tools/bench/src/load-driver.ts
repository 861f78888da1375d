import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CATALOG_SKUS, apiHeaders, type ApiEndpoint } from '#local-infra';

/**
 * Places orders through the public HTTP API, either closed loop (at most
 * `concurrency` POSTs in flight: measures what the system sustains) or open
 * loop (a fixed offered rate: measures latency at a given load).
 *
 * In open loop a POST's latency counts from the moment it was due, not from
 * when it was sent, so a stalled server cannot hide its stall by delaying the
 * bench's own requests (coordinated omission).
 *
 * A closed-loop client behaves as a client should when it is refused with 503
 * and Retry-After-Ms: it waits that long before its next POST. One that
 * retried at once would spend the server's CPU on refusals (the open loop
 * shows what that costs).
 */

export interface LoadOptions {
  api: ApiEndpoint;
  /** Orders to place at most. */
  count: number;
  /** Stop starting POSTs after this long (those in flight still finish); no limit when undefined. */
  durationMs?: number;
  concurrency: number;
  /** Orders per second; closed loop when undefined. */
  rate?: number;
  /** Prefix of the customer ids and Idempotency-Keys of this run. */
  runId: string;
  onAnswer?: (answered: number) => void;
}

export interface LoadResult {
  /** Wall-clock time (epoch ms) of the first POST. */
  firstPostAt: number;
  /** Wall-clock time (epoch ms) of the last answer. */
  lastAnswerAt: number;
  /** Ids of the orders the API accepted. */
  orderIds: string[];
  /** Per accepted POST, milliseconds. */
  postLatenciesMs: number[];
  /** POSTs refused with 503 by admission control (overload: nothing was written), and how long each refusal took. */
  shed: number;
  shedLatenciesMs: number[];
  /** POSTs that were not answered 201 nor 503 (errors, resets, timeouts), with a few of the reasons. */
  failures: number;
  failureSamples: string[];
}

const REQUEST_TIMEOUT_MS = 30_000;
/** Open loop: beyond this many POSTs in flight the system is hopelessly behind; stop adding more. */
const OPEN_LOOP_MAX_IN_FLIGHT = 4_096;
const MAX_FAILURE_SAMPLES = 5;

export async function driveOrders(options: LoadOptions): Promise<LoadResult> {
  const url = new URL('/api/v1/orders', options.api.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.rate ? OPEN_LOOP_MAX_IN_FLIGHT : options.concurrency });
  const result: LoadResult = { firstPostAt: 0, lastAnswerAt: 0, orderIds: [], postLatenciesMs: [], shed: 0, shedLatenciesMs: [], failures: 0, failureSamples: [] };
  let answered = 0;

  const placeOne = async (index: number, dueAt: number): Promise<number> => {
    const outcome = await postOrder(url, options.api, agent, orderBody(options.runId, index), `${options.runId}-${index}`);
    const latency = performance.now() - dueAt;
    if (outcome.id) {
      result.orderIds.push(outcome.id);
      result.postLatenciesMs.push(latency);
    } else if (outcome.shed !== undefined) {
      result.shed += 1;
      result.shedLatenciesMs.push(latency);
    } else {
      result.failures += 1;
      if (result.failureSamples.length < MAX_FAILURE_SAMPLES) result.failureSamples.push(outcome.error);
    }
    answered += 1;
    options.onAnswer?.(answered);
    return outcome.shed ?? 0;
  };

  try {
    result.firstPostAt = Date.now();
    const deadline = options.durationMs === undefined ? Infinity : performance.now() + options.durationMs;
    if (options.rate) await openLoop(options.count, options.rate, deadline, placeOne);
    else await closedLoop(options.count, options.concurrency, deadline, placeOne);
    result.lastAnswerAt = Date.now();
    return result;
  } finally {
    agent.destroy();
  }
}

async function closedLoop(
  count: number,
  concurrency: number,
  deadline: number,
  placeOne: (index: number, dueAt: number) => Promise<number>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      const retryAfterMs = await placeOne(index, performance.now());
      if (retryAfterMs > 0) await sleep(retryAfterMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

async function openLoop(
  count: number,
  rate: number,
  deadline: number,
  placeOne: (index: number, dueAt: number) => Promise<unknown>,
): Promise<void> {
  const start = performance.now();
  const intervalMs = 1_000 / rate;
  const inFlight = new Set<Promise<unknown>>();
  for (let index = 0; index < count; index++) {
    const dueAt = start + index * intervalMs;
    if (dueAt >= deadline) break;
    const wait = dueAt - performance.now();
    if (wait > 1) await sleep(wait);
    while (inFlight.size >= OPEN_LOOP_MAX_IN_FLIGHT) await Promise.race(inFlight);
    const task = placeOne(index, dueAt).finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
}

/** A small valid order; customers spread over a few ids, as real traffic would be. */
function orderBody(runId: string, index: number): string {
  return JSON.stringify({
    customerId: `bench-${runId}-${index % 100}`,
    currency: 'EUR',
    lines: [
      { sku: CATALOG_SKUS[index % CATALOG_SKUS.length], quantity: 1 + (index % 3), unitPriceCents: 1_000 + (index % 500) },
      { sku: 'FILTER-PAPER-100', quantity: 1, unitPriceCents: 250 },
    ],
  });
}

/** The order's id when taken; `shed` (the Retry-After-Ms) when admission control refused it; otherwise the error. */
function postOrder(url: URL, api: ApiEndpoint, agent: Agent, body: string, idempotencyKey: string): Promise<{ id?: string; shed?: number; error: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: apiHeaders(api, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'idempotency-key': idempotencyKey }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          // Admission control refused it at once: overload, not a failure (nothing was written).
          if (res.statusCode === 503 && res.headers['retry-after-ms']) return resolve({ shed: Number(res.headers['retry-after-ms']), error: '' });
          if (res.statusCode !== 201) return resolve({ error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` });
          try {
            resolve({ id: (JSON.parse(text) as { id: string }).id, error: '' });
          } catch {
            resolve({ error: `HTTP 201 with a body that is not JSON: ${text.slice(0, 200)}` });
          }
        });
        res.on('error', (error) => resolve({ error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(body);
  });
}
