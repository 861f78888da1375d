import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * Chaos tests: the built services as real processes against a real NATS
 * JetStream server and a real PostgreSQL, with a failure injected mid-run
 * (a SIGKILLed service, a restarted broker or database, a relay dying between
 * publish and commit, duplicated, invalid and undeliverable messages). Needs
 * `npm run build` first. Files run one after another: each starts a whole
 * pipeline, and timing-sensitive faults need the machine to themselves.
 */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globals: true,
      include: ['test/chaos/**/*.chaos-spec.ts'],
      globalSetup: ['test/chaos/support/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 240_000,
      fileParallelism: false,
    },
  }),
);
