import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { OrderState, TERMINAL_ORDER_STATES } from '#contracts';
import { expectedShipmentCount, expectedShipmentStatus, paymentProblem } from '../../demo/src/verification.js';
import { firstToLastRate, summarize, type LatencySummary } from './stats.js';

/**
 * What the pipeline did with the bench's orders, read from the services'
 * tables: whether every order arrived at a final state consistent with its
 * payment and shipment, and the timings, from the timestamps the services
 * wrote in their own transactions (not from the bench's polling).
 */

export interface Verification {
  /** Orders the API accepted. */
  placed: number;
  /** Accepted orders missing from the orders table. */
  lost: number;
  /** Orders not in a final state when the bench stopped waiting. */
  notFinal: number;
  /** Orders whose final state does not match their payment and shipment. */
  inconsistent: number;
  /** Orders found in a final state consistent with their payment and shipment. */
  verified: number;
  /** Final orders by state, payment status and shipment status. */
  outcomes: Array<{ state: string; payment: string | null; shipment: string | null; orders: number; consistent: boolean }>;
  passed: boolean;
}

export interface StageRate {
  /** Rows the stage completed for the run. */
  count: number;
  /** Per second, from the stage's first to its last timestamp. */
  perSecond: number;
}

export interface PipelineTimings {
  /** Epoch ms at which the last order reached its final state (orders.order_state_changes). */
  lastFinalAt: number;
  /** Created to final state, per order, ms (millisecond timestamps). */
  pipelineLatencyMs: LatencySummary;
  /**
   * Does the rate hold over the run? Orders finished per second in the first
   * and the last tenth of the time orders were being placed (not the drain
   * after the last POST), and last over first: cost that grows with history
   * shows as a ratio below 1 (null with fewer than 100 orders or a window
   * under 10 s).
   */
  sustained: { firstTenthPerSecond: number; lastTenthPerSecond: number; ratio: number } | null;
  stages: {
    relayPublishes: StageRate & { byService: Record<string, StageRate> };
    /** Events applied by the consumers (inbox records), all services together. */
    eventsConsumed: StageRate;
    payments: StageRate;
    shipments: StageRate;
    orderStateUpdates: StageRate;
  };
}

const POLL_INTERVAL_MS = 500;
const FINAL_STATES: readonly string[] = TERMINAL_ORDER_STATES;
// analytics publishes nothing, but its consumed messages count with the others'.
const SERVICE_SCHEMAS = ['orders', 'inventory', 'payments', 'shipments', 'analytics'] as const;

/**
 * Polls until every order is in a final state or the time is up; only the
 * orders still on their way are asked about, so the polls get cheaper.
 */
export async function waitForFinalStates(
  client: pg.Client,
  orderIds: readonly string[],
  timeoutMs: number,
  onProgress?: (final: number) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...orderIds];
  for (;;) {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id::text FROM orders.orders WHERE id = ANY($1::uuid[]) AND NOT (state::text = ANY($2::text[]))`,
      [pending, FINAL_STATES],
    );
    const found = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM orders.orders WHERE id = ANY($1::uuid[])`, [pending]);
    // An order not (yet) in the table counts as pending: lost until it shows up.
    const missing = pending.length - Number(found.rows[0]!.n);
    const stillPending = new Set(rows.map((row) => row.id));
    if (missing > 0) {
      const present = await client.query<{ id: string }>(`SELECT id::text FROM orders.orders WHERE id = ANY($1::uuid[])`, [pending]);
      const presentIds = new Set(present.rows.map((row) => row.id));
      for (const id of pending) if (!presentIds.has(id)) stillPending.add(id);
    }
    pending = pending.filter((id) => stillPending.has(id));
    onProgress?.(orderIds.length - pending.length);
    if (pending.length === 0 || Date.now() >= deadline) return;
    await sleep(POLL_INTERVAL_MS);
  }
}

type Outcome = Verification['outcomes'][number];

/** How one order ended, with its payment and shipment. */
interface OrderEnd {
  state: OrderState;
  failureReason: string | null;
  payment: string | null;
  shipment: string | null;
}

export async function verifyOrders(client: pg.Client, orderIds: readonly string[]): Promise<Verification> {
  const { rows } = await client.query<OrderEnd>(
    `SELECT o.state::text AS state, o.failure_reason AS "failureReason", p.status::text AS payment, s.status::text AS shipment
       FROM orders.orders o
       LEFT JOIN payments.payments p ON p.order_id = o.id
       LEFT JOIN shipments.shipments s ON s.order_id = o.id
      WHERE o.id = ANY($1::uuid[])`,
    [orderIds],
  );
  const byOutcome = new Map<string, Outcome>();
  let notFinal = 0;
  let inconsistent = 0;
  for (const order of rows) {
    const final = FINAL_STATES.includes(order.state);
    const consistent = final && isConsistent(order);
    if (!final) notFinal += 1;
    else if (!consistent) inconsistent += 1;
    const key = `${order.state}/${order.payment}/${order.shipment}`;
    const outcome = byOutcome.get(key) ?? { state: order.state, payment: order.payment, shipment: order.shipment, orders: 0, consistent: true };
    outcome.orders += 1;
    outcome.consistent &&= consistent;
    byOutcome.set(key, outcome);
  }
  const outcomes = [...byOutcome.values()].sort((a, b) => b.orders - a.orders);
  const lost = orderIds.length - rows.length;
  const verified = rows.length - notFinal - inconsistent;
  // Not `verified === placed`: the query has a row per payment and shipment row, so an order with
  // two rows (lost < 0) could make up for an order that is missing.
  return { placed: orderIds.length, lost, notFinal, inconsistent, verified, outcomes, passed: lost === 0 && notFinal === 0 && inconsistent === 0 };
}

/**
 * A final state matches its payment and shipment, by the demo's end-state
 * rules (tools/demo/src/verification.ts, also the chaos tests'): money taken
 * exactly for what shipped, and the shipment (or none) its end requires. A
 * second payment or shipment row of an order shows as a row too many (lost < 0).
 */
function isConsistent(order: OrderEnd): boolean {
  if (order.payment === null || paymentProblem(order, order.payment)) return false;
  const shipments = order.shipment === null ? 0 : 1;
  if (shipments !== expectedShipmentCount(order, order.payment === 'SUCCEEDED')) return false;
  const status = expectedShipmentStatus(order);
  return status === undefined || order.shipment === status;
}

/** Timings of the run from the services' own timestamps; `since` excludes older rows of a reused database. */
export async function readTimings(
  client: pg.Client,
  orderIds: readonly string[],
  since: Date,
  placing: { from: number; to: number },
): Promise<PipelineTimings> {
  const latencies = await client.query<{ created: number; final: number }>(
    `SELECT ${epochMs(`min(occurred_at) FILTER (WHERE to_state = 'CREATED')`)} AS created,
            ${epochMs('max(occurred_at) FILTER (WHERE to_state::text = ANY($2::text[]))')} AS final
       FROM orders.order_state_changes WHERE order_id = ANY($1::uuid[]) GROUP BY order_id`,
    [orderIds, FINAL_STATES],
  );
  const finished = latencies.rows.filter((row) => row.created !== null && row.final !== null);
  const lastFinalAt = finished.reduce((last, row) => Math.max(last, Number(row.final)), 0);

  const byService: Record<string, StageRate> = {};
  let firstPublish = Infinity;
  let lastPublish = -Infinity;
  let publishes = 0;
  for (const schema of SERVICE_SCHEMAS) {
    const span = await spanOf(client, `SELECT count(*) AS n, ${epochMs('min(published_at)')} AS first, ${epochMs('max(published_at)')} AS last
        FROM ${schema}.outbox_events WHERE published_at >= $1`, [since]);
    byService[schema] = stageRate(span);
    if (span.n > 0) {
      firstPublish = Math.min(firstPublish, span.first);
      lastPublish = Math.max(lastPublish, span.last);
      publishes += span.n;
    }
  }
  const consumed = await spanOf(client, `SELECT count(*) AS n, ${epochMs('min(processed_at)')} AS first, ${epochMs('max(processed_at)')} AS last
      FROM (${SERVICE_SCHEMAS.map((schema) => `SELECT processed_at FROM ${schema}.inbox_events`).join(' UNION ALL ')}) AS inboxes
      WHERE processed_at >= $1`, [since]);
  const payments = await spanOf(client, `SELECT count(*) AS n, ${epochMs('min(updated_at)')} AS first, ${epochMs('max(updated_at)')} AS last
      FROM payments.payments WHERE order_id = ANY($1::uuid[])`, [orderIds]);
  const shipments = await spanOf(client, `SELECT count(*) AS n, ${epochMs('min(updated_at)')} AS first, ${epochMs('max(updated_at)')} AS last
      FROM shipments.shipments WHERE order_id = ANY($1::uuid[])`, [orderIds]);
  const stateUpdates = await spanOf(client, `SELECT count(*) AS n, ${epochMs('min(occurred_at)')} AS first, ${epochMs('max(occurred_at)')} AS last
      FROM orders.order_state_changes WHERE order_id = ANY($1::uuid[])`, [orderIds]);

  return {
    lastFinalAt,
    pipelineLatencyMs: summarize(finished.map((row) => Number(row.final) - Number(row.created))),
    sustained: sustainedRate(finished.map((row) => Number(row.final)), placing.from, placing.to),
    stages: {
      relayPublishes: { count: publishes, perSecond: firstToLastRate(publishes, lastPublish - firstPublish), byService },
      eventsConsumed: stageRate(consumed),
      payments: stageRate(payments),
      shipments: stageRate(shipments),
      orderStateUpdates: stageRate(stateUpdates),
    },
  };
}

interface Span {
  n: number;
  first: number;
  last: number;
}

async function spanOf(client: pg.Client, sql: string, params: unknown[]): Promise<Span> {
  const { rows } = await client.query<{ n: string; first: number | null; last: number | null }>(sql, params);
  const row = rows[0]!;
  return { n: Number(row.n), first: Number(row.first ?? 0), last: Number(row.last ?? 0) };
}

const MIN_ORDERS_FOR_TENTHS = 100;
const MIN_WINDOW_MS = 10_000;

/** Finishes per second in the first and last tenth of [from, to] (epoch ms), and their ratio. */
export function sustainedRate(finalTimes: readonly number[], from: number, to: number): PipelineTimings['sustained'] {
  if (finalTimes.length < MIN_ORDERS_FOR_TENTHS || to - from < MIN_WINDOW_MS) return null;
  const tenthMs = (to - from) / 10;
  const rateIn = (start: number) => (finalTimes.filter((t) => t >= start && t < start + tenthMs).length * 1_000) / tenthMs;
  const first = Math.round(rateIn(from) * 10) / 10;
  const last = Math.round(rateIn(to - tenthMs) * 10) / 10;
  return { firstTenthPerSecond: first, lastTenthPerSecond: last, ratio: first > 0 ? Math.round((last / first) * 1_000) / 1_000 : 0 };
}

/** Rows in each service's outbox and inbox now: bounded when retention prunes them. */
export async function readTableRows(client: pg.Client): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const schema of SERVICE_SCHEMAS) {
    for (const table of ['outbox_events', 'inbox_events']) {
      const { rows: result } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.${table}`);
      rows[`${schema}.${table}`] = Number(result[0]!.n);
    }
  }
  return rows;
}

/** Timed from the first row's timestamp to the last, as the consume baseline is: count minus one intervals. */
function stageRate(span: Span): StageRate {
  return { count: span.n, perSecond: firstToLastRate(span.n, span.last - span.first) };
}

function epochMs(expression: string): string {
  return `(extract(epoch FROM ${expression}) * 1000)::float8`;
}
