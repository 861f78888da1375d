import { apiHeaders, type Pipeline } from '#local-infra';
import { analyticsDifferences, type AnalyticsFigures } from '../../../tools/demo/src/analytics-summary.js';
import type { OrderView } from '../../../tools/demo/src/orders-client.js';
import type { PipelineDatabase } from './facts.js';

/**
 * What analytics gets wrong once the pipeline settled: its figures (its own
 * consumers and tables) against a recount from the orders table, as the demo
 * checks them (created, paid, failed, rejected, revenue per currency). Must be nothing,
 * whatever crashed, was redelivered or duplicated on the way.
 */
export async function analyticsBehind(pipeline: Pipeline, db: PipelineDatabase): Promise<string[]> {
  const response = await fetch(`${pipeline.serviceUrls.analytics}/api/v1/analytics`, { headers: apiHeaders(pipeline.api), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) return [`GET /api/v1/analytics answered ${response.status}`];
  const figures = (await response.json()) as AnalyticsFigures;
  const rows = await db.query<{ id: string; state: string; totalCents: number; currency: string; states: string[] }>(
    `SELECT o.id::text, o.state::text, o.total_cents AS "totalCents", o.currency::text,
            array(SELECT h.to_state::text FROM orders.order_state_changes h WHERE h.order_id = o.id ORDER BY h.version) AS states
       FROM orders.orders o`,
  );
  const orders = rows.map((row) => ({ ...row, history: row.states.map((to) => ({ to })) }) as unknown as OrderView);
  return analyticsDifferences(figures, orders);
}
