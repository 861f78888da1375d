import { describe, it, expect } from '@jest/globals';
import { metricSum } from './cost-budget.js';

describe('metricSum', () => {
  const scrape = [
    '# HELP db_round_trips_total Queries sent to PostgreSQL',
    '# TYPE db_round_trips_total counter',
    'db_round_trips_total 1234',
    'db_round_trips_total_created 1700000000',
    'pipeline_events_processed_total{consumer="a",subject="orders.created",outcome="acked"} 10',
    'pipeline_events_processed_total{consumer="a",subject="orders.created",outcome="retried"} 2',
    'pipeline_events_processed_total{consumer="b",subject="payments.succeeded",outcome="acked"} 5',
  ].join('\n');

  it('adds every sample of the metric, whatever its labels', () => {
    expect(metricSum(scrape, 'pipeline_events_processed_total')).toBe(17);
  });

  it('matches the whole name, not a longer metric that starts with it', () => {
    expect(metricSum(scrape, 'db_round_trips_total')).toBe(1234);
  });

  it('is 0 for a metric the scrape does not have', () => {
    expect(metricSum(scrape, 'nothing_total')).toBe(0);
  });
});
