import { z } from 'zod';
import { commonEnvSchema } from '#config';
import { httpApiEnvShape } from '#http-api';

/**
 * The analytics service's environment: the common settings (NATS, PostgreSQL,
 * consumers, outbox), a public API's (API keys, rate limit, CORS, body
 * limit: the same as orders-api's) and its port. Add a setting here, then set
 * it in docker-compose.yml and in the Helm chart's `analytics.env`.
 */
export const analyticsEnvSchema = commonEnvSchema.extend({
  ...httpApiEnvShape,
  /** Port of GET /api/v1/analytics, its live feed, /docs and the health endpoints. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3003),
});

export type AnalyticsEnv = z.infer<typeof analyticsEnvSchema>;
