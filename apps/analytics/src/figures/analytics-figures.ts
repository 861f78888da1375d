import { Injectable } from '@nestjs/common';
import { SqlDatabase } from '#database';
import type { AnalyticsDto } from './http/analytics.dto.js';

/** How many customers and products the top lists hold. */
export const TOP = 5;
/** The per-minute counts cover this many minutes, ending now (by the database's clock). */
export const MINUTES = 60;

/**
 * An order earns revenue once its orders.created and payments.succeeded are
 * both applied, and until a payments.refunded takes it back: at rest, the
 * orders that are PAID, SHIPMENT_PREPARED or SHIPPED.
 */
const EARNING = 'created_at IS NOT NULL AND paid_at IS NOT NULL AND refunded_at IS NULL';

/*
 * Every figure in one statement, so they are one snapshot: the counts, the
 * revenue per currency, the top lists and the per-minute counts agree with
 * each other. Sums are float8, exact for integers far beyond any revenue
 * (bigint would come back as a string).
 */
const FIGURES_SQL = `
WITH f AS (SELECT *, (${EARNING}) AS earning FROM "analytics"."order_facts")
SELECT json_build_object(
  'orders', (SELECT json_build_object(
      'created', count(*) FILTER (WHERE created_at IS NOT NULL),
      'paid', count(*) FILTER (WHERE earning),
      'failed', count(*) FILTER (WHERE failed_at IS NOT NULL),
      'cancelled', count(*) FILTER (WHERE cancelled_at IS NOT NULL),
      'refunded', count(*) FILTER (WHERE refunded_at IS NOT NULL),
      'rejected', count(*) FILTER (WHERE rejected_at IS NOT NULL)) FROM f),
  'revenue', coalesce((SELECT json_agg(r ORDER BY r.currency) FROM (
      SELECT currency::text AS currency,
             count(*) AS "ordersCreated",
             count(*) FILTER (WHERE earning) AS "ordersPaid",
             coalesce(sum(paid_cents) FILTER (WHERE earning), 0)::float8 AS "revenueCents",
             coalesce(sum(refunded_cents), 0)::float8 AS "refundedCents",
             coalesce(round(sum(paid_cents) FILTER (WHERE earning)::numeric / nullif(count(*) FILTER (WHERE earning), 0)), 0)::float8
               AS "averageOrderValueCents"
        FROM f WHERE created_at IS NOT NULL GROUP BY currency) r), '[]'::json),
  'topCustomers', coalesce((SELECT json_agg(c) FROM (
      SELECT customer_id AS "customerId", currency::text AS currency, count(*) AS orders, sum(paid_cents)::float8 AS "revenueCents"
        FROM f WHERE earning GROUP BY customer_id, currency
       ORDER BY sum(paid_cents) DESC, customer_id, currency LIMIT ${TOP}) c), '[]'::json),
  'topProducts', coalesce((SELECT json_agg(p) FROM (
      SELECT l.sku, f.currency::text AS currency, sum(l.quantity)::float8 AS quantity, sum(l.line_total_cents)::float8 AS "revenueCents"
        FROM "analytics"."order_fact_lines" l JOIN f ON f.order_id = l.order_id
       WHERE f.earning GROUP BY l.sku, f.currency
       ORDER BY sum(l.quantity) DESC, l.sku, f.currency LIMIT ${TOP}) p), '[]'::json),
  'ordersPerMinute', coalesce((SELECT json_agg(m ORDER BY m.minute) FROM (
      SELECT to_char(date_trunc('minute', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:00"Z"') AS minute, count(*) AS orders
        FROM f WHERE created_at > date_trunc('minute', now()) - interval '${MINUTES - 1} minutes'
       GROUP BY 1) m), '[]'::json),
  'generatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
) AS figures`;

/**
 * The business figures, computed by PostgreSQL from the fact rows (aggregates,
 * not rows, leave the database). As fresh as the last committed batch.
 */
@Injectable()
export class AnalyticsFigures {
  constructor(private readonly sql: SqlDatabase) {}

  async read(): Promise<AnalyticsDto> {
    const [row] = await this.sql.$queryRawUnsafe<Array<{ figures: AnalyticsDto }>>(FIGURES_SQL);
    return row.figures;
  }
}
