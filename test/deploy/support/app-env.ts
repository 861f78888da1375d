import type { z } from 'zod';
import { ordersEnvSchema } from '../../../apps/orders-api/src/orders-env.js';
import { paymentsEnvSchema } from '../../../apps/payments/src/payments-env.js';
import { shipmentsEnvSchema } from '../../../apps/shipments/src/shipments-env.js';
import { analyticsEnvSchema } from '../../../apps/analytics/src/analytics-env.js';
import { inventoryEnvSchema } from '../../../apps/inventory/src/inventory-env.js';

export type ServiceName = 'orders-api' | 'payments' | 'shipments' | 'analytics' | 'inventory';

/** Each service's own environment schema: what it validates at start. */
export const envSchemas: Record<ServiceName, z.ZodObject> = {
  'orders-api': ordersEnvSchema,
  payments: paymentsEnvSchema,
  shipments: shipmentsEnvSchema,
  analytics: analyticsEnvSchema,
  inventory: inventoryEnvSchema,
};

export const serviceNames = Object.keys(envSchemas) as ServiceName[];

/**
 * Variables a service reads that are not in its schema: HOST (read by the
 * bootstrap), OpenTelemetry's standard variables (read by the SDK), and a
 * password that Kubernetes substitutes into DATABASE_URL.
 */
const readOutsideTheSchema = new Set([
  'HOST',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'OTEL_METRICS_EXPORTER',
  'OTEL_LOGS_EXPORTER',
  'DATABASE_PASSWORD',
]);

/** A valid API_KEYS, standing in for the one a Secret gives orders-api. */
export const PLACEHOLDER_API_KEYS = JSON.stringify([{ name: 'placeholder', key: 'k'.repeat(32), scopes: ['orders:read'] }]);

/** The port a service listens on when PORT is not set (its schema's default). */
export function defaultPort(service: ServiceName): number {
  return envSchemas[service].parse({ DATABASE_URL: 'postgresql://placeholder/db', API_KEYS: PLACEHOLDER_API_KEYS }).PORT as number;
}

/**
 * Parses an environment as the service would at start. Returns the parsed
 * values, or throws with zod's message naming each bad variable.
 */
export function parseServiceEnv(service: ServiceName, env: Record<string, string>): Record<string, unknown> {
  return envSchemas[service].parse(env) as Record<string, unknown>;
}

/**
 * Variables that the service would silently ignore (zod strips unknown keys):
 * a misspelt name in a deployment file shows up here.
 */
export function unknownVariables(service: ServiceName, env: Record<string, string>): string[] {
  const known = new Set(Object.keys(envSchemas[service].shape));
  return Object.keys(env).filter((name) => !known.has(name) && !readOutsideTheSchema.has(name));
}
