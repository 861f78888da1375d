import { describe, it, expect } from '@jest/globals';
import { metricValue } from './scrape.js';

describe('metricValue', () => {
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
    expect(metricValue(scrape, 'pipeline_events_processed_total')).toBe(17);
  });

  it('matches the whole name, not a longer metric that starts with it', () => {
    expect(metricValue(scrape, 'db_round_trips_total')).toBe(1234);
  });

  it('adds only the samples with the labels asked for', () => {
    expect(metricValue(scrape, 'pipeline_events_processed_total', { outcome: 'acked' })).toBe(15);
  });

  it('is 0 for a metric the scrape does not have', () => {
    expect(metricValue(scrape, 'nothing_total')).toBe(0);
  });
});
