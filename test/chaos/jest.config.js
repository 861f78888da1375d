import { layerConfig } from '../../jest.shared.js';

/**
 * Chaos tests: the built services as real processes against a real NATS
 * JetStream server and a real PostgreSQL, with a failure injected mid-run
 * (a SIGKILLed service, a restarted broker or database, a relay dying between
 * publish and commit, duplicated, invalid and undeliverable messages). Needs
 * `npm run build` first. Files run one after another: each starts a whole
 * pipeline, and timing-sensitive faults need the machine to themselves.
 */
export default layerConfig({
  testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
  // Jest has one limit for a test and a hook; a scenario's beforeAll runs
  // the whole load with its fault, which takes longest.
  testTimeout: 240_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/chaos/support/global-setup.js',
  globalTeardown: '<rootDir>/test/chaos/support/global-teardown.js',
});
