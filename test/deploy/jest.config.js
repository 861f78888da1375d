import { layerConfig } from '../../jest.shared.js';

/**
 * Deployment tests: the Dockerfile and its build context, docker-compose.yml
 * and the Helm chart, validated offline (no Docker engine, no cluster):
 * helm lint and template, the rendered manifests against the Kubernetes
 * schemas (kubernetes-models), the compose file against the Compose
 * specification schema, and both against the services' own env schemas.
 */
export default layerConfig({
  testMatch: ['<rootDir>/test/deploy/**/*.deploy-spec.ts'],
  // Jest has one limit for a test and a hook: the hooks render the chart.
  testTimeout: 60_000,
  maxWorkers: 2,
});
