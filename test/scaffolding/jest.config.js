import { layerConfig } from '../../jest.shared.js';

/**
 * Scaffolding tests: the service-app schematic (schematics/) run on an
 * in-memory copy of the repository's files, and through the real nest CLI on
 * a scratch copy of the repository, whose generated service is then built,
 * tested, migrated and started against a real NATS server and PostgreSQL.
 * The main repository is never written to.
 */
const layer = layerConfig({
  testMatch: ['<rootDir>/test/scaffolding/**/*.scaffold-spec.ts'],
  // One generated service is built and tested step by step: minutes, not seconds.
  testTimeout: 180_000,
  maxWorkers: 2,
});

/**
 * The schematics engine (@angular-devkit/schematics 22, as the nest CLI runs
 * it) is CommonJS that require()s packages shipped as ES modules only
 * (magic-string, ora and what ora imports), and our schematics/ the same way.
 * Node 20.19 does that natively; Jest's module registry only on Node 24.9+,
 * and on older Node it hands such a file to a transform instead. So in this
 * layer, dependencies and the schematics go through swc too: an ES module that
 * is require()d comes out as CommonJS, and a plain script (`isModule:
 * 'unknown'`) is left one.
 */
export default {
  ...layer,
  transform: {
    ...layer.transform,
    '/(node_modules|schematics)/.+\\.m?js$': [
      '@swc/jest',
      { isModule: 'unknown', jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' } },
    ],
  },
  transformIgnorePatterns: [],
};
