import { layerConfig } from '../../jest.shared.js';

/**
 * Integration tests: one behaviour per file against a real NATS JetStream
 * server and a real PostgreSQL, which each file starts for itself.
 */
export default layerConfig({
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  // Jest has one limit for a test and a hook; a file's beforeAll starts its
  // servers and services, which takes longest.
  testTimeout: 120_000,
  // Two cores: files run two at a time, each with its own servers.
  maxWorkers: 2,
});
