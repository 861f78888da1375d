import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * Scaffolding tests: the service-app schematic (schematics/) run on an
 * in-memory copy of the repository's files, and through the real nest CLI on
 * a scratch copy of the repository, whose generated service is then built,
 * tested, migrated and started against a real NATS server and PostgreSQL.
 * The main repository is never written to.
 */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globals: true,
      include: ['test/scaffolding/**/*.scaffold-spec.ts'],
      // One generated service is built and tested step by step: minutes, not seconds.
      testTimeout: 180_000,
      hookTimeout: 120_000,
      maxWorkers: 2,
    },
  }),
);
