import { layerConfig } from '../../jest.shared.js';

/**
 * End-to-end tests: the built services run as real processes against a real
 * NATS JetStream server and a real PostgreSQL. Needs `npm run build` first.
 * Files run one after another: each starts a whole pipeline.
 */
export default layerConfig({
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
});
