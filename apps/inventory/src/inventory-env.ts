import { z } from 'zod';
import { commonEnvSchema } from '#config';

/**
 * The inventory service's environment: the common settings (NATS, PostgreSQL,
 * consumers, outbox) plus its own. Add a setting here, then set it in
 * docker-compose.yml and in the Helm chart's `inventory.env`.
 */
export const inventoryEnvSchema = commonEnvSchema.extend({
  /** Port of the health endpoints (GET /health, GET /health/live). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
});

export type InventoryEnv = z.infer<typeof inventoryEnvSchema>;
