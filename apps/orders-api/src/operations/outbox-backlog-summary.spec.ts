import { describe, it, expect } from '@jest/globals';
import type { OutboxBacklogReport } from '#contracts';
import { summarizeOutboxBacklogs } from './outbox-backlog-summary.js';

const NOW = Date.parse('2026-12-01T12:00:30.000Z');
const MAX_AGE_MS = 15_000;
const report = (service: string, instance: string, secondsAgo: number, backlog: number, oldestAgeSeconds = backlog > 0 ? 4 : 0): OutboxBacklogReport => ({
  schemaVersion: 1,
  service,
  instance,
  backlog,
  oldestAgeSeconds,
  reportedAt: new Date(NOW - secondsAgo * 1_000).toISOString(),
});

describe('summarizeOutboxBacklogs', () => {
  it('takes the newest live report of a service, not a sum: every replica measures the same table', () => {
    const [payments] = summarizeOutboxBacklogs(
      [report('payments', 'pod-a', 4, 120, 9), report('payments', 'pod-b', 1, 80, 3), report('payments', 'pod-c', 3, 100)],
      ['payments'],
      NOW,
      MAX_AGE_MS,
    );
    expect(payments).toEqual({ service: 'payments', instances: 3, backlog: 80, oldestAgeSeconds: 3, reportedAt: '2026-12-01T12:00:29.000Z' });
  });

  it('leaves out reports older than the max age, and shows a service without a live one as such', () => {
    const views = summarizeOutboxBacklogs([report('shipments', 'pod-a', 16, 5), report('orders-api', 'pod-a', 2, 0)], ['orders-api', 'shipments'], NOW, MAX_AGE_MS);
    expect(views).toEqual([
      { service: 'orders-api', instances: 1, backlog: 0, oldestAgeSeconds: null, reportedAt: '2026-12-01T12:00:28.000Z' },
      { service: 'shipments', instances: 0, backlog: null, oldestAgeSeconds: null, reportedAt: null },
    ]);
  });

  it('lists the expected services first, in their order, then others that report', () => {
    const views = summarizeOutboxBacklogs([report('zeta', 'z', 1, 0), report('alpha', 'a', 1, 2)], ['payments', 'inventory'], NOW, MAX_AGE_MS);
    expect(views.map((view) => view.service)).toEqual(['payments', 'inventory', 'alpha', 'zeta']);
  });

  it('counts an instance once however many reports of it the bucket holds', () => {
    const [view] = summarizeOutboxBacklogs([report('inventory', 'pod-a', 6, 1), report('inventory', 'pod-a', 1, 2)], ['inventory'], NOW, MAX_AGE_MS);
    expect(view).toMatchObject({ instances: 1, backlog: 2 });
  });
});
