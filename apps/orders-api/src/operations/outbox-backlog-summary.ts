import type { OutboxBacklogReport } from '#contracts';

/** One service's outbox backlog as the operations API shows it. */
export interface OutboxBacklogView {
  service: string;
  /** Instances whose report is younger than the bucket's max age. */
  instances: number;
  /** Unpublished outbox rows, from the newest live report; null when no instance reports. */
  backlog: number | null;
  /** Age of the oldest of them, null when there are none (or no report). */
  oldestAgeSeconds: number | null;
  /** When the newest live report was measured, null when there is none. */
  reportedAt: string | null;
}

/**
 * One line per service: every service expected (so a service with no live
 * instance shows as such instead of vanishing), then any other that reports.
 *
 * The backlog is the NEWEST live report's, not a sum over instances: all
 * replicas of a service share one outbox table (their relays split its rows
 * with SKIP LOCKED) and each measures the whole table, so a sum would count
 * the same rows once per replica. The count of live instances is what the
 * reports add up to. A report older than `maxAgeMs` is left out even if the
 * server still had it (a bucket made with a longer max age, a clock step).
 */
export function summarizeOutboxBacklogs(
  reports: readonly OutboxBacklogReport[],
  expectedServices: readonly string[],
  nowMs: number,
  maxAgeMs: number,
): OutboxBacklogView[] {
  const live = reports.filter((report) => nowMs - Date.parse(report.reportedAt) <= maxAgeMs);
  const services = [...new Set([...expectedServices, ...live.map((report) => report.service).sort()])];
  return services.map((service) => {
    const own = live.filter((report) => report.service === service);
    const newest = own.reduce<OutboxBacklogReport | undefined>(
      (best, report) => (!best || Date.parse(report.reportedAt) > Date.parse(best.reportedAt) ? report : best),
      undefined,
    );
    if (!newest) return { service, instances: 0, backlog: null, oldestAgeSeconds: null, reportedAt: null };
    return {
      service,
      instances: new Set(own.map((report) => report.instance)).size,
      backlog: newest.backlog,
      oldestAgeSeconds: newest.backlog > 0 ? newest.oldestAgeSeconds : null,
      reportedAt: newest.reportedAt,
    };
  });
}
