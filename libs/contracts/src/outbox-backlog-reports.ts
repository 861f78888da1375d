import { z } from 'zod';
import type { ServiceName } from './services.js';

/**
 * Every service's outbox backlog as it reports it, for orders-api's
 * operations API (GET /api/v1/operations). Services share no tables, so
 * orders-api cannot count another's unpublished rows; instead every instance
 * of every service with an outbox puts its own measurement into this KV
 * bucket, one put per `reportEveryMs` (never per message), under the key
 * `<service>.<instance>` (outboxBacklogKey). Its NATS user may write only
 * keys under its own service's name (nats-permissions.ts), so no service can
 * report for another.
 *
 * The rules of VERSIONING.md hold for the bucket as for events: the name
 * never changes, and the value's fields only grow (optional ones) within
 * `schemaVersion` 1.
 */
export const OutboxBacklogReports: {
  readonly bucket: string;
  readonly reportEveryMs: number;
  readonly maxAgeMs: number;
  readonly reader: ServiceName;
  readonly description: string;
} = {
  bucket: 'outbox_backlog',
  /** Each instance measures and puts its report this often. */
  reportEveryMs: 5_000,
  /**
   * The bucket's max_age: the server forgets a report this long after it was
   * put, so an instance that stopped (or died) drops out within it and a
   * bucket entry means a live instance. Three report periods, so one slow or
   * lost put does not make a running instance look gone.
   */
  maxAgeMs: 15_000,
  /** The service that reads every report (the operations API). */
  reader: 'orders-api',
  description: "Each service instance's outbox backlog, put every few seconds; entries expire when an instance stops reporting",
};

/**
 * One instance's report. `backlog` and `oldestAgeSeconds` measure the
 * service's whole outbox table (every replica of a service shares it: the
 * relays split the rows between them), as of `reportedAt`.
 */
export const outboxBacklogReportSchema = z.object({
  schemaVersion: z.literal(1),
  service: z.string().min(1).max(64),
  instance: z.string().min(1).max(128),
  /** Outbox rows committed and not yet published. */
  backlog: z.int().min(0),
  /** Age of the oldest of them in seconds, 0 when there are none. */
  oldestAgeSeconds: z.number().min(0),
  /** When the instance measured (ISO 8601). */
  reportedAt: z.iso.datetime(),
});

export type OutboxBacklogReport = z.infer<typeof outboxBacklogReportSchema>;

/**
 * The key of one instance's report. An instance id is reduced to the
 * characters a KV key token may hold without a dot, so the key is always
 * exactly two subject tokens (what the permissions' `<service>.*` allows).
 */
export function outboxBacklogKey(service: ServiceName, instance: string): string {
  return `${service}.${instance.replace(/[^A-Za-z0-9_=-]/g, '_')}`;
}
