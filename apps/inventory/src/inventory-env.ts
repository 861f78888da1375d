import { z } from 'zod';
import { commonEnvSchema } from '#config';
import { httpApiEnvShape } from '#http-api';

/**
 * The inventory service's environment: the common settings (NATS, PostgreSQL,
 * consumers, outbox), a public API's, and its port. Add a setting here, then set it in
 * docker-compose.yml and in the Helm chart's `inventory.env`.
 */
export const inventoryEnvSchema = commonEnvSchema.extend({
  // A public API's settings (API keys, rate limit, CORS, body limit): the same as orders-api's.
  ...httpApiEnvShape,
  /** Port of the catalog's routes (/api/v1/products), /docs and the health endpoints. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
});

export type InventoryEnv = z.infer<typeof inventoryEnvSchema>;
