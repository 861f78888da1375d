/**
 * Settings every Jest layer shares (unit, deploy, integration, end-to-end,
 * chaos, scaffolding); each layer's jest.config.js adds what it matches, its
 * time limits and how many files run at once.
 *
 * - The project is ESM TypeScript (Nest 12 is ESM-only), so Jest runs in its
 *   ESM mode (`node --experimental-vm-modules`, see package.json) and @swc/jest
 *   compiles each file as an ES module, with Nest's legacy decorators and the
 *   design-time metadata its dependency injection reads.
 * - Sources import each other as `./file.js` (nodenext); the mapper finds the
 *   `.ts` file behind such a path.
 * - The `source` condition makes the package.json `#imports` resolve to the
 *   libraries' TypeScript, so tests never need a build of them.
 * - No injected globals: every spec imports describe/it/expect/jest from
 *   @jest/globals, so types and runtime agree and nothing is implicit.
 *
 * @param {{ testMatch: string[], testTimeout: number, maxWorkers?: number, globalSetup?: string, globalTeardown?: string, moduleNameMapper?: Record<string, string> }} layer
 * @returns {import('jest').Config}
 */
export function layerConfig(layer) {
  return {
    rootDir: import.meta.dirname,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
    injectGlobals: false,
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
            target: 'es2022',
            keepClassNames: true,
          },
          sourceMaps: 'inline',
        },
      ],
    },
    // Generated and built output is never a test, and never watched.
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/.local/'],
    modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local/'],
    ...layer,
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', ...layer.moduleNameMapper },
  };
}
