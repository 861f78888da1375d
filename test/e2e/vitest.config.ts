import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * End-to-end tests: the built services run as real processes against a real
 * NATS JetStream server and a real PostgreSQL. Needs `npm run build` first.
 */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globals: true,
      include: ['test/e2e/**/*.e2e-spec.ts'],
      testTimeout: 180_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  }),
);
