import { z } from 'zod';
import { commonEnvSchema } from '#config';
import { httpApiEnvShape } from '#http-api';

export const ordersEnvSchema = commonEnvSchema.extend({
  ...httpApiEnvShape,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The inventory service, which answers the public API's /api/v1/products behind this edge (public-edge.ts). */
  INVENTORY_URL: z.url().default('http://127.0.0.1:3004'),
  /** The analytics service, which answers the public API's /api/v1/analytics behind this edge. */
  ANALYTICS_URL: z.url().default('http://127.0.0.1:3003'),
  /** The Jaeger UI's base URL, when the deployment has one: the console's tracking page then links each order's trace. */
  JAEGER_UI_URL: z.url().optional(),
  /**
   * Writes (place, cancel) in progress at once in this process; one more is
   * refused with 503 at once instead of queueing for the database pool.
   */
  ORDERS_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(64),
  /**
   * New writes are refused with 503 while more outbox rows than this wait to
   * be published (below OUTBOX_BACKLOG_READY_MAX, where readiness fails).
   */
  ORDERS_ADMIT_MAX_OUTBOX_BACKLOG: z.coerce.number().int().positive().default(5_000),
  /**
   * New writes are refused with 503 while more messages than this wait in
   * the pipeline's durable consumers (delivered or not, unacknowledged):
   * about 3 s of work at today's rate on 2 cores, so accepted orders do not
   * queue behind a minute of others.
   */
  ORDERS_ADMIT_MAX_PIPELINE_LAG: z.coerce.number().int().positive().default(2_000),
  /**
   * How often the dead-letter office checks open dead letters against their
   * consumers' inboxes and resolves those whose event a twin applied (ms; 0
   * turns it off). Validated here with the rest; the module reads it.
   */
  DEAD_LETTER_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(2_000),
  /** Live updates (/ws): how long a new socket may take to authenticate before it is closed (4401), in ms. */
  WS_AUTH_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** Live updates: how often each socket is pinged; one that has not answered the last ping by the next is terminated (ms). */
  WS_PING_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** Live updates: a socket whose unsent data passes this many bytes reads too slowly and is closed (4008), so it cannot hold memory. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Live updates: orders one socket may subscribe to one by one (subscribe-all is one). */
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().default(1_000),
  /**
   * Operations API (GET /api/v1/operations): how often orders-api samples the
   * streams' per-subject counts for the stage rates (ms; 0 turns sampling off).
   * One stream info per stream per sample, whatever the traffic.
   */
  OPERATIONS_SAMPLE_INTERVAL_MS: z.coerce.number().int().min(0).default(2_000),
  /**
   * Operations API: the sliding window the stage rates are averaged over (ms).
   * Long enough to smooth the pipeline's pull batches, short enough that a
   * stall shows within it.
   */
  OPERATIONS_RATE_WINDOW_MS: z.coerce.number().int().positive().default(20_000),
  /**
   * Operations API: how long one gathering of consumer info, outbox reports and
   * the dead-letter count is shared between requests (ms), so that several
   * browsers polling cost NATS and PostgreSQL what one does.
   */
  OPERATIONS_CACHE_MS: z.coerce.number().int().min(0).default(1_000),
});

export type OrdersEnv = z.infer<typeof ordersEnvSchema>;
