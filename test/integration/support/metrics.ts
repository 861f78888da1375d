import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { metricValue } from '#metrics';

/** One scrape of a running service's GET /metrics, in Prometheus' text format. */
export async function scrapeMetrics(app: INestApplication): Promise<string> {
  const response = await request(app.getHttpServer()).get('/metrics').expect(200);
  return response.text;
}

/** How much a metric (its samples with `labels`) grew from the scrape `before` to the scrape `after`. */
export function metricDelta(before: string, after: string, name: string, labels: Record<string, string> = {}): number {
  return metricValue(after, name, labels) - metricValue(before, name, labels);
}
