import { useEffect, useState } from 'react';
import { followAnalytics } from '../api/analytics-stream';
import type { Analytics } from '../api/client';
import { clockTime, money } from '../format';
import { useSession } from '../session';

/**
 * The business figures, live from analytics' feed: revenue, order count and
 * average order value per currency, top customers and products, and orders
 * per minute over the last hour.
 */
export function AnalyticsPage() {
  const { apiKey } = useSession();
  const [figures, setFigures] = useState<Analytics | null>(null);
  const [live, setLive] = useState(false);
  useEffect(() => followAnalytics(apiKey, setFigures, setLive), [apiKey]);

  return (
    <div className="analytics">
      <h1>Analytics</h1>
      <p className="live-status" data-testid="feed-status" data-live={live}>
        <span className={`dot ${live ? 'on' : ''}`} aria-hidden="true" />
        {live ? 'Live' : 'Connecting…'}
        {figures && <span className="sub"> · as of {clockTime(figures.generatedAt)}</span>}
      </p>
      {!figures ? (
        <p role="status">Loading the figures…</p>
      ) : (
        <>
          <section aria-label="Totals" className="kpis">
            <Kpi label="Orders placed" value={String(figures.orders.created)} testId="orders-created" />
            <Kpi label="Orders paid" value={String(figures.orders.paid)} testId="orders-paid" />
            {figures.revenue.length === 0 && <Kpi label="Revenue" value={money(0, 'EUR')} testId="revenue" />}
            {figures.revenue.map((r) => (
              <Kpi key={`rev-${r.currency}`} label={`Revenue (${r.currency})`} value={money(r.revenueCents, r.currency)} testId="revenue" />
            ))}
            {figures.revenue.map((r) => (
              <Kpi key={`aov-${r.currency}`} label={`Average order (${r.currency})`} value={money(r.averageOrderValueCents, r.currency)} />
            ))}
            <Kpi label="Failed / cancelled / rejected" value={`${figures.orders.failed} / ${figures.orders.cancelled} / ${figures.orders.rejected}`} />
          </section>
          <OrdersPerMinute minutes={figures.ordersPerMinute} />
          <div className="two-columns">
            <section className="card" aria-labelledby="top-customers">
              <h2 id="top-customers">Top customers</h2>
              <RankTable
                headers={['Customer', 'Orders', 'Revenue']}
                rows={figures.topCustomers.map((c) => [c.customerId, String(c.orders), money(c.revenueCents, c.currency)])}
              />
            </section>
            <section className="card" aria-labelledby="top-products">
              <h2 id="top-products">Top products</h2>
              <RankTable
                headers={['Product', 'Units', 'Revenue']}
                rows={figures.topProducts.map((p) => [p.sku, String(p.quantity), money(p.revenueCents, p.currency)])}
              />
            </section>
          </div>
        </>
      )}
    </div>
  );
}

function Kpi({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="card kpi">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function RankTable({ headers, rows }: { headers: string[]; rows: string[][] }) {
  if (rows.length === 0) return <p>Nothing sold yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          {headers.map((h, i) => (
            <th key={h} scope="col" className={i > 0 ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row[0]}>
            {row.map((cell, i) => (
              <td key={i} className={i > 0 ? 'num' : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One bar per minute of the last hour that had orders; the table under it says the same for screen readers. */
function OrdersPerMinute({ minutes }: { minutes: Analytics['ordersPerMinute'] }) {
  const max = Math.max(1, ...minutes.map((m) => m.orders));
  const recent = minutes.slice(-30);
  return (
    <section className="card" aria-labelledby="per-minute">
      <h2 id="per-minute">Orders per minute</h2>
      {recent.length === 0 ? (
        <p>No orders in the last hour.</p>
      ) : (
        <>
          <div className="bars" aria-hidden="true">
            {recent.map((m) => (
              <div key={m.minute} className="bar" style={{ height: `${(m.orders / max) * 100}%` }} title={`${clockTime(m.minute)}: ${m.orders}`} />
            ))}
          </div>
          <table className="visually-hidden">
            <caption>Orders per minute</caption>
            <tbody>
              {recent.map((m) => (
                <tr key={m.minute}>
                  <th scope="row">{clockTime(m.minute)}</th>
                  <td>{m.orders}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
