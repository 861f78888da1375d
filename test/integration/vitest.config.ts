import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * Integration tests: one behaviour per file against a real NATS JetStream
 * server and a real PostgreSQL, which each file starts for itself.
 */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globals: true,
      include: ['test/integration/**/*.int-spec.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Two cores: files run two at a time, each with its own servers.
      maxWorkers: 2,
    },
  }),
);
