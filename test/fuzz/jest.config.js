import { layerConfig } from '../../jest.shared.js';

/**
 * Fuzz tests: property-based (fast-check) hostile input against the built
 * services as real processes, a real NATS JetStream server and a real
 * PostgreSQL. Needs `npm run build` first. Files run one after another: each
 * starts a whole pipeline and floods it. FUZZ_SEED, FUZZ_RUNS and FUZZ_PATH
 * replay or scale a run (test/fuzz/support/fuzz-run.ts).
 */
export default layerConfig({
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'],
  // Jest has one limit for a test and a hook; a file's beforeAll starts the
  // pipeline, runs every case and waits until the pipeline has settled.
  testTimeout: 240_000,
  maxWorkers: 1,
});
