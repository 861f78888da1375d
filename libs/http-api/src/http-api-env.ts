import { z } from 'zod';
import { apiKeysEnv } from './api-keys.js';

/**
 * The settings of a service that serves a public REST API, to spread into its
 * env schema (`commonEnvSchema.extend({ ...httpApiEnvShape, ... })`).
 */
export const httpApiEnvShape = {
  API_KEYS: apiKeysEnv,
  /**
   * Writes (placing, cancelling, operator actions) one client (one API key)
   * may make per RATE_LIMIT_WINDOW_MS in one replica; one more is answered 429
   * with Retry-After. 0 turns the limit off.
   */
  RATE_LIMIT_WRITES: z.coerce.number().int().min(0).default(1_000),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(10_000),
  /** Origins a browser may call the API from (comma-separated); empty, the default, allows none (no CORS headers at all). */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
  /** The largest request body in bytes; a larger one is refused with 413 while it is read. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(64 * 1024),
};

const httpApiEnvSchema = z.object(httpApiEnvShape);
export type HttpApiEnv = z.infer<typeof httpApiEnvSchema>;
