import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * Deployment tests: the Dockerfile and its build context, docker-compose.yml
 * and the Helm chart, validated offline (no Docker engine, no cluster):
 * helm lint and template, the rendered manifests against the Kubernetes
 * schemas (kubernetes-models), the compose file against the Compose
 * specification schema, and both against the services' own env schemas.
 */
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globals: true,
      include: ['test/deploy/**/*.deploy-spec.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      maxWorkers: 2,
    },
  }),
);
