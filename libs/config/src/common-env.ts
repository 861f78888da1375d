import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Variables every service reads. Each service extends this with its own. */
export const commonEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Lowest level logged; debug adds one line per message received and per successful request. */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** HTTP port for the API (orders-api) or for health endpoints (workers). */
  PORT: z.coerce.number().int().min(0).max(65535),
  /** One server or several, comma separated. Credentials in it are not used (the client ignores them): see NATS_USER. */
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /**
   * The service's NATS user and password, for a server with per-service users
   * (`npm run nats:config` writes them); unset for a server without
   * authentication. The password is never logged.
   */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  /**
   * How long the event streams keep events (ms). 0, the default, keeps them
   * for ever, so that a read model can be rebuilt from the start
   * (npm run rebuild); a bound trades that for disk (docs/operations.md,
   * "Rebuilding read models"). Every service applies it to the streams it
   * provisions, at start.
   */
  STREAM_MAX_AGE_MS: z.coerce.number().int().min(0).default(0),
  DATABASE_URL: z.string().startsWith('postgres'),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Handlers running at once per consumer in this process. */
  CONSUMER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** Deliveries per message before the server gives up on it. */
  CONSUMER_MAX_DELIVER: z.coerce.number().int().min(1).optional(),
  CONSUMER_ACK_WAIT_MS: z.coerce.number().int().min(1000).optional(),
  /**
   * Group commit of units of work that arrive one at a time (HTTP requests,
   * messages of a consumer that handles them singly): units waiting while
   * GROUP_COMMIT_MAX_TRANSACTIONS shared transactions are in flight commit
   * together in the next, up to GROUP_COMMIT_MAX_UNITS each. An idle service
   * starts a unit at once, alone: grouping never waits for company.
   */
  GROUP_COMMIT_MAX_UNITS: z.coerce.number().int().positive().default(64),
  GROUP_COMMIT_MAX_TRANSACTIONS: z.coerce.number().int().positive().default(2),
  /** Rows the outbox relay publishes per batch. */
  OUTBOX_BATCH_SIZE: z.coerce.number().int().positive().default(500),
  /** Fallback poll when no NOTIFY arrives (missed while reconnecting, say). */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  /** Relay on/off, so a deployment can run relays as separate replicas. */
  OUTBOX_RELAY_ENABLED: bool.default(true),
  /**
   * Readiness fails while more outbox rows than this wait to be published: a
   * replica whose relay cannot keep up (or cannot reach NATS) stops taking
   * new orders until it has caught up.
   */
  OUTBOX_BACKLOG_READY_MAX: z.coerce.number().int().positive().default(10_000),
  /**
   * How long a published outbox row is kept (for diagnosis) before the
   * retention pruner deletes it. An unpublished row is never deleted.
   */
  OUTBOX_RETENTION_MS: z.coerce.number().int().min(60_000).default(3_600_000),
  /**
   * How long an inbox row is kept: it turns a redelivery of its event into a
   * duplicate, so it must outlive every way a copy can still arrive
   * (redeliveries and relay re-sends take minutes; see docs/operations.md,
   * "Retention"). Default 24 h.
   */
  INBOX_RETENTION_MS: z.coerce.number().int().min(60_000).default(86_400_000),
  /** Time between the retention pruner's passes; 0 turns it off. */
  RETENTION_PRUNE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Interval of the one-line METRICS summary in the log; 0 turns it off. */
  METRICS_LOG_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * TEST-ONLY fault injection for the chaos tests (test/chaos); never set it in
   * a deployment. N: the process kills itself (SIGKILL, exit status 137) right
   * after its relay published its Nth batch and before that batch is marked
   * published, i.e. the crash the outbox must survive. A count, not a
   * probability, so a chaos run knows the crash happened; a restarted process
   * counts again from 0. Default 0 (off).
   */
  FAULT_RELAY_CRASH_AFTER_PUBLISH_BATCH: z.coerce.number().int().min(0).default(0),
  /**
   * TEST-ONLY, like the one above. N: the process kills itself (SIGKILL) in
   * the middle of the Nth transaction that applies a transport batch of two
   * or more events: every statement of the batch sent, the COMMIT not.
   * Default 0 (off).
   */
  FAULT_CRASH_IN_BATCH_TRANSACTION: z.coerce.number().int().min(0).default(0),
});

export type CommonEnv = z.infer<typeof commonEnvSchema>;
