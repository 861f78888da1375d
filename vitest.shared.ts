import type { ViteUserConfig } from 'vitest/config';

/**
 * Settings every test layer shares. `source` makes the package.json `#imports`
 * resolve to TypeScript sources, so tests never need a build of the libraries.
 */
export const sharedTestConfig: ViteUserConfig = {
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
};
