import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

/** One scrape of a running service's GET /metrics, in Prometheus' text format. */
export async function scrapeMetrics(app: INestApplication): Promise<string> {
  const response = await request(app.getHttpServer()).get('/metrics').expect(200);
  return response.text;
}

/**
 * The sum of a metric's samples whose labels include `labels` (0 when there
 * is none), read from a scrape: `metricValue(text, 'x_total', { outcome: 'acked' })`.
 */
export function metricValue(scrape: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of scrape.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) sum += Number(match[3]);
  }
  return sum;
}

/** How much a metric (its samples with `labels`) grew from the scrape `before` to the scrape `after`. */
export function metricDelta(before: string, after: string, name: string, labels: Record<string, string> = {}): number {
  return metricValue(after, name, labels) - metricValue(before, name, labels);
}
