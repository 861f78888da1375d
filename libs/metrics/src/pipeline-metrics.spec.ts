import { describe, it, expect } from '@jest/globals';
import { DeliveryMetrics, eventsProcessed, handlerDuration, retriesScheduled } from './pipeline-metrics.js';

async function valueOf(metric: { get(): Promise<{ values: Array<{ value: number; labels: object; metricName?: string }> }> }, labels: object, metricName?: string): Promise<number> {
  const { values } = await metric.get();
  const match = values.find((v) => (!metricName || v.metricName === metricName) && Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x));
  return match?.value ?? 0;
}

describe('DeliveryMetrics', () => {
  const consumer = `spec-${Math.random().toString(36).slice(2)}`;
  const subject = 'orders.created';
  const metrics = new DeliveryMetrics(consumer, subject);

  it('counts outcomes under the consumer, subject and outcome labels; a retry also as a scheduled retry', async () => {
    metrics.count('acked');
    metrics.count('acked');
    metrics.count('retried');
    expect(await valueOf(eventsProcessed, { consumer, subject, outcome: 'acked' })).toBe(2);
    expect(await valueOf(eventsProcessed, { consumer, subject, outcome: 'retried' })).toBe(1);
    expect(await valueOf(retriesScheduled, { consumer, subject })).toBe(1);
  });

  it('times the work, also when it throws, and passes its result or error through', async () => {
    await expect(metrics.time(async () => 'done')).resolves.toBe('done');
    await expect(metrics.time(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await valueOf(handlerDuration, { consumer, subject }, 'pipeline_handler_duration_seconds_count')).toBe(2);
  });
});
