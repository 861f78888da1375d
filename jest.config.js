import { layerConfig } from './jest.shared.js';

/**
 * Unit tests: pure logic, colocated as `*.spec.ts`, no servers; plus the
 * architecture checks (contracts spelled only in libs/contracts, and the
 * layering rules of .dependency-cruiser.cjs).
 */
export default layerConfig({
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts', '<rootDir>/test/architecture/**/*.spec.ts'],
  testTimeout: 5_000,
});
