import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from './vitest.shared.js';

/** Unit tests: pure logic, colocated as `*.spec.ts`, no servers. */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globals: true,
      include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'tools/**/*.spec.ts', 'test/architecture/**/*.spec.ts'],
    },
  }),
);
