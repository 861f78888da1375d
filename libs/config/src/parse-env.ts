import { z } from 'zod';

/**
 * Validates environment variables against a schema and fails start-up with
 * one line per bad variable, instead of a service that half works.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}
