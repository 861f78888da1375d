import { layerConfig } from '../../jest.shared.js';

/**
 * Browser tests: the built console (npm run build:console) in headless
 * Chromium (Debian's /usr/bin/chromium, driven by playwright-core; never a
 * browser download) against the built services on real NATS JetStream and
 * PostgreSQL. Needs `npm run build` and `npm run build:console` first.
 * Files run one after another: each starts a whole pipeline.
 */
export default layerConfig({
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
});
