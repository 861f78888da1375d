import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { PLACEHOLDER_API_KEYS, defaultPort, parseServiceEnv, serviceNames, unknownVariables, type ServiceName } from './support/app-env.js';
import {
  chartYaml,
  find,
  helm,
  lint,
  ofKind,
  releaseName,
  render,
  stageChart,
  type Manifest,
  type Rendered,
  type ValueSet,
} from './support/helm.js';
import { validateAll } from './support/kubernetes.js';

/** The chart's values key of a service: camelCase of its kebab-case name (orders-api -> ordersApi). */
const valuesKey = (service: string) => service.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
import { chartDir, repoPath } from './support/paths.js';

/** How long a service drains after SIGTERM (libs/bootstrap run-service). */
const drainSeconds = 20;
const fullname = `${releaseName}-order-pipeline`;

// Loose views of the rendered objects: enough structure for the assertions.
type Json = Record<string, any>;
const spec = (manifest: Manifest): Json => manifest['spec'] as Json;
const podSpec = (manifest: Manifest): Json => spec(manifest)['template']['spec'] as Json;

const externalPeers = {
  nats: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'messaging' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats' } },
    },
  ],
  postgresql: [{ ipBlock: { cidr: '10.20.0.0/16' } }],
  otlp: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
};

const valueSets = {
  'default values': {},
  'external services': {
    values: {
      externalDatabase: { url: 'postgresql://pipeline:s3cret@db.example.internal:5432/pipeline' },
      externalNats: { existingSecret: 'nats-credentials', existingSecretKey: 'url' },
      natsCredentials: { passwords: Object.fromEntries(serviceNames.map((service) => [service, `${service}-pw`])) },
      ordersApi: { apiKeys: { keys: [{ name: 'storefront', key: 's'.repeat(40), scopes: ['orders:read', 'orders:place'] }] } },
      otel: { endpoint: 'http://otel-collector.observability:4318' },
      networkPolicy: {
        nats: { to: externalPeers.nats },
        postgresql: { port: 6432, to: externalPeers.postgresql },
        otlp: { to: externalPeers.otlp },
      },
    },
  },
  'ingress on': {
    values: {
      ordersApi: {
        ingress: {
          enabled: true,
          className: 'nginx',
          annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
          hosts: [{ host: 'orders.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: [{ secretName: 'orders-example-com-tls', hosts: ['orders.example.com'] }],
        },
      },
    },
  },
  'autoscaling off': {
    set: [...serviceNames.map((name) => `${valuesKey(name)}.autoscaling.enabled=false`), 'payments.replicaCount=3'],
  },
  'bundled NATS and PostgreSQL': { set: ['nats.enabled=true', 'postgresql.enabled=true'] },
  'optional objects off': {
    set: [
      'networkPolicy.enabled=false',
      'serviceAccount.create=false',
      'migrations.enabled=false',
      ...serviceNames.map((name) => `${valuesKey(name)}.podDisruptionBudget.enabled=false`),
      'topologySpread.enabled=false',
      'preStopSleepSeconds=0',
      'terminationGracePeriodSeconds=25',
      'natsCredentials.enabled=false',
    ],
  },
} satisfies Record<string, ValueSet>;
type ValueSetName = keyof typeof valueSets;

let staged: ReturnType<typeof stageChart>;
const renders = new Map<ValueSetName, Rendered>();

beforeAll(async () => {
  staged = stageChart();
  await Promise.all(
    (Object.keys(valueSets) as ValueSetName[]).map(async (name) => renders.set(name, await render(staged.dir, valueSets[name]))),
  );
});
afterAll(() => staged?.cleanup());

function rendered(name: ValueSetName): Manifest[] {
  return renders.get(name)!.manifests;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * The environment a service's container would see: its ConfigMaps, then its
 * env entries; values from Secrets are stood in for, and $(VAR) references
 * substituted as the kubelet does.
 */
function containerEnv(manifests: Manifest[], workload: Manifest): Record<string, string> {
  const container = podSpec(workload)['containers'][0] as Json;
  const env: Record<string, string> = {};
  for (const source of container['envFrom'] ?? []) {
    Object.assign(env, find(manifests, 'ConfigMap', source.configMapRef.name)['data']);
  }
  const fromSecret: Record<string, string> = {
    DATABASE_URL: 'postgresql://pipeline:password@db:5432/pipeline',
    DATABASE_PASSWORD: 'password',
    NATS_URL: 'nats://nats-0.messaging:4222',
    API_KEYS: PLACEHOLDER_API_KEYS,
  };
  for (const entry of container['env'] ?? []) {
    env[entry.name] = entry.valueFrom
      ? (fromSecret[entry.name] ?? 'from-a-secret')
      : String(entry.value).replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? `$(${name})`);
  }
  return env;
}

function secretRefs(workload: Manifest): { env: string; name: string; key: string }[] {
  const container = podSpec(workload)['containers'][0] as Json;
  return (container['env'] ?? [])
    .filter((entry: Json) => entry.valueFrom?.secretKeyRef)
    .map((entry: Json) => ({ env: entry.name, ...entry.valueFrom.secretKeyRef }));
}

function networkPolicyFor(manifests: Manifest[], podLabels: Record<string, string>): Manifest {
  const policies = ofKind(manifests, 'NetworkPolicy').filter((policy) => matches(spec(policy)['podSelector'].matchLabels, podLabels));
  // Exactly one NetworkPolicy selects the pods.
    expect(policies).toHaveLength(1);
  return policies[0]!;
}

function egressPorts(policy: Manifest): number[] {
  return (spec(policy)['egress'] as Json[]).flatMap((rule) => (rule['ports'] ?? []).map((port: Json) => port['port'] as number));
}

describe('the chart', () => {
  it('declares NATS and PostgreSQL as optional dependencies, off by default', async () => {
    const dependencies = chartYaml().dependencies ?? [];
    expect(dependencies.map((d) => [d.name, d.condition])).toEqual([
      ['nats', 'nats.enabled'],
      ['postgresql', 'postgresql.enabled'],
    ]);
    const { manifests } = renders.get('default values')!;
    expect(manifests.some((m) => m.metadata.name.includes('nats') || m.metadata.name.includes('postgresql'))).toBe(false);
  });

  it('defaults the image tag to the package version', () => {
    const packageVersion = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
    expect(chartYaml().appVersion).toBe(packageVersion);
    const deployment = find(rendered('default values'), 'Deployment', `${fullname}-orders-api`);
    expect((podSpec(deployment)['containers'][0] as Json)['image']).toBe(`order-pipeline:${packageVersion}`);
  });

  it('lints as it is in the repository, dependencies not fetched: only the missing charts are reported', async () => {
    const result = await helm(['lint', chartDir]);
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
    const warnings = result.stdout.split('\n').filter((line) => line.includes('[WARNING]') || line.includes('[ERROR]'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/missing these dependencies: nats,\s*postgresql/);
  });
});

describe.each(Object.keys(valueSets) as ValueSetName[])('with %s', (setName) => {
  it('passes helm lint --strict', async () => {
    const result = await lint(staged.dir, valueSets[setName]);
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('renders manifests that validate against the Kubernetes schemas, with no unknown field', () => {
    const manifests = rendered(setName);
    expect(manifests.length).toBeGreaterThan(5);
    expect(validateAll(manifests)).toEqual([]);
  });

  it('gives every object a unique, valid name and the release labels', () => {
    const manifests = rendered(setName);
    const keys = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const manifest of manifests) {
      expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      expect(manifest.metadata.labels?.['app.kubernetes.io/instance']).toBe(releaseName);
      expect(manifest.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    }
  });

  describe.each(serviceNames)('%s', (service: ServiceName) => {
    const port = defaultPort(service);
    const name = `${fullname}-${service}`;

    it(`runs the ${service} service on its own port (${port}) with probes on /health/live and /health`, () => {
      const deployment = find(rendered(setName), 'Deployment', name);
      const container = podSpec(deployment)['containers'][0] as Json;
      expect(container['args']).toEqual([service]);
      expect(container['ports']).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
      expect(container['livenessProbe'].httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container['startupProbe'].httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container['readinessProbe'].httpGet).toEqual({ path: '/health', port: 'http' });
    });

    it('gives the environment the service validates at start, with no variable it would ignore', () => {
      const manifests = rendered(setName);
      const env = containerEnv(manifests, find(manifests, 'Deployment', name));
      expect(unknownVariables(service, env)).toEqual([]);
      // No test-only fault injection in a deployment.
      expect(Object.keys(env).filter((variable) => variable.startsWith('FAULT_'))).toEqual([]);
      const parsed = parseServiceEnv(service, env);
      expect(parsed['PORT']).toBe(port);
      expect(env['OTEL_SERVICE_NAME']).toBe(service);
    });

    it('runs as non-root on a read-only root filesystem with /tmp writable, no privilege escalation, no capabilities', () => {
      const pod = podSpec(find(rendered(setName), 'Deployment', name));
      const container = pod['containers'][0] as Json;
      expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod['securityContext'].runAsUser).toBeGreaterThan(0);
      expect(container['securityContext']).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      const tmp = (pod['volumes'] as Json[]).find((volume) => volume['name'] === 'tmp');
      expect(tmp?.['emptyDir']).toBeDefined();
      expect(container['volumeMounts']).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod['automountServiceAccountToken']).toBe(false);
    });

    it(`allows more time to terminate than the preStop pause plus the ${drainSeconds} s drain`, () => {
      const pod = podSpec(find(rendered(setName), 'Deployment', name));
      const preStop = (pod['containers'][0] as Json)['lifecycle']?.preStop?.exec?.command as string[] | undefined;
      const pause = preStop ? Number(preStop[1]) : 0;
      expect(pod['terminationGracePeriodSeconds']).toBeGreaterThan(pause + drainSeconds);
    });

    it('has a Service, and an autoscaler or a replica count, selecting its pods', () => {
      const manifests = rendered(setName);
      const deployment = find(manifests, 'Deployment', name);
      const podLabels = spec(deployment)['template'].metadata.labels as Record<string, string>;
      expect(matches(spec(deployment)['selector'].matchLabels, podLabels)).toBe(true);

      const serviceObject = find(manifests, 'Service', name);
      expect(matches(spec(serviceObject)['selector'], podLabels)).toBe(true);
      expect(spec(serviceObject)['ports'][0]).toMatchObject({ name: 'http', targetPort: 'http' });

      const autoscaler = ofKind(manifests, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === name);
      if (autoscaler) {
        expect(spec(autoscaler)['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
        // The autoscaler owns the replica count.
      expect(spec(deployment)['replicas']).toBeUndefined();
      } else {
        expect(spec(deployment)['replicas']).toBeGreaterThanOrEqual(1);
      }
      const budget = ofKind(manifests, 'PodDisruptionBudget').find((p) => p.metadata.name === name);
      if (budget) expect(matches(spec(budget)['selector'].matchLabels, podLabels)).toBe(true);
    });

    it('connects to NATS as its own user, its password from the Secret’s key named after it (unless NATS has no users)', () => {
      const manifests = rendered(setName);
      const deployment = find(manifests, 'Deployment', name);
      const env = containerEnv(manifests, deployment);
      const password = secretRefs(deployment).filter((ref) => ref.env === 'NATS_PASSWORD');
      if (setName === 'optional objects off') {
        expect(env).not.toHaveProperty('NATS_USER');
        expect(password).toEqual([]);
        return;
      }
      expect(env['NATS_USER']).toBe(service);
      expect(password).toEqual([
        { env: 'NATS_PASSWORD', name: setName === 'external services' ? `${fullname}-nats-credentials` : 'order-pipeline-nats', key: service },
      ]);
      for (const configMap of ofKind(manifests, 'ConfigMap')) expect(configMap['data']).not.toHaveProperty('NATS_PASSWORD');
    });

    it('reads DATABASE_URL from a Secret, never from a ConfigMap', () => {
      const manifests = rendered(setName);
      const deployment = find(manifests, 'Deployment', name);
      for (const configMap of ofKind(manifests, 'ConfigMap')) expect(configMap['data']).not.toHaveProperty('DATABASE_URL');
      const refs = secretRefs(deployment);
      expect(refs.some((ref) => ref.env === 'DATABASE_URL' || ref.env === 'DATABASE_PASSWORD')).toBe(true);
    });
  });

  it('runs the migrations as a hook Job before the services change', () => {
    const job = ofKind(rendered(setName), 'Job')[0];
    if (setName === 'optional objects off') {
      expect(job).toBeUndefined();
      return;
    }
    expect(job).toBeDefined();
    const hooks = job!.metadata.annotations?.['helm.sh/hook']?.split(',') ?? [];
    expect(hooks).toContain('pre-upgrade');
    expect(hooks).toContain(setName === 'bundled NATS and PostgreSQL' ? 'post-install' : 'pre-install');
    const pod = podSpec(job!);
    const container = pod['containers'][0] as Json;
    expect(container['args']).toEqual(['migrate']);
    expect(pod['restartPolicy']).toBe('Never');
    expect(container['securityContext']).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(secretRefs(job!).map((ref) => ref.env)).toContain(
      setName === 'bundled NATS and PostgreSQL' ? 'DATABASE_PASSWORD' : 'DATABASE_URL',
    );
  });
});

describe('network policies', () => {
  it('let the workers accept nothing and reach only DNS, NATS and PostgreSQL', () => {
    const manifests = rendered('default values');
    for (const service of ['payments', 'shipments'] as const) {
      const deployment = find(manifests, 'Deployment', `${fullname}-${service}`);
      const policy = networkPolicyFor(manifests, spec(deployment)['template'].metadata.labels);
      expect(spec(policy)['policyTypes']).toEqual(['Ingress', 'Egress']);
      expect(spec(policy)['ingress']).toEqual([]);
      expect(egressPorts(policy).sort((a, b) => a - b)).toEqual([53, 53, 4222, 5432]);
    }
  });

  it('let orders-api accept only the helm test pod by default, and the ingress controller when the Ingress is on', () => {
    const byDefault = rendered('default values');
    const withIngress = rendered('ingress on');
    const peers = (manifests: Manifest[]) => {
      const deployment = find(manifests, 'Deployment', `${fullname}-orders-api`);
      return spec(networkPolicyFor(manifests, spec(deployment)['template'].metadata.labels))['ingress'][0].from as Json[];
    };
    expect(peers(byDefault)).toHaveLength(1);
    expect(peers(byDefault)[0]!['podSelector'].matchLabels['app.kubernetes.io/component']).toBe('test');
    expect(peers(withIngress)).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      podSelector: {},
    });
  });

  it('let the migration job reach only DNS and PostgreSQL', () => {
    const policy = find(rendered('default values'), 'NetworkPolicy', `${fullname}-migrate`);
    expect(spec(policy)['ingress']).toEqual([]);
    expect(egressPorts(policy).sort((a, b) => a - b)).toEqual([53, 53, 5432]);
  });

  it('use the given peers for services outside the release, and open the OTLP port only with an endpoint', () => {
    const manifests = rendered('external services');
    const policy = find(manifests, 'NetworkPolicy', `${fullname}-payments`);
    const egress = spec(policy)['egress'] as Json[];
    expect(egress).toContainEqual({ to: externalPeers.nats, ports: [{ port: 4222, protocol: 'TCP' }] });
    expect(egress).toContainEqual({ to: externalPeers.postgresql, ports: [{ port: 6432, protocol: 'TCP' }] });
    expect(egress).toContainEqual({ to: externalPeers.otlp, ports: [{ port: 4318, protocol: 'TCP' }] });
    expect(egressPorts(find(rendered('default values'), 'NetworkPolicy', `${fullname}-payments`))).not.toContain(4318);
  });

  it('are absent when turned off', () => {
    expect(ofKind(rendered('optional objects off'), 'NetworkPolicy')).toEqual([]);
  });
});

describe('connections', () => {
  it('by default use the NATS release "nats" and the database URL in Secret order-pipeline-database', () => {
    const manifests = rendered('default values');
    expect(find(manifests, 'ConfigMap', `${fullname}-common`)['data']).toMatchObject({ NATS_URL: 'nats://nats:4222' });
    const deployment = find(manifests, 'Deployment', `${fullname}-orders-api`);
    expect(secretRefs(deployment)).toEqual([
      { env: 'DATABASE_URL', name: 'order-pipeline-database', key: 'DATABASE_URL' },
      { env: 'NATS_PASSWORD', name: 'order-pipeline-nats', key: 'orders-api' },
      { env: 'API_KEYS', name: 'order-pipeline-api-keys', key: 'API_KEYS' },
    ]);
    expect(ofKind(manifests, 'Secret')).toEqual([]);
  });

  it('give orders-api and analytics (the services with a public API) alone the API keys, from a Secret; keys given as values in a Secret of the chart that rolls their pods', async () => {
    for (const service of ['payments', 'shipments']) {
      expect(secretRefs(find(rendered('default values'), 'Deployment', `${fullname}-${service}`)).map((ref) => ref.env)).not.toContain('API_KEYS');
    }
    const manifests = rendered('external services');
    const secret = find(manifests, 'Secret', `${fullname}-api-keys`);
    expect(JSON.parse((secret['stringData'] as Record<string, string>)['API_KEYS']!)).toEqual([{ name: 'storefront', key: 's'.repeat(40), scopes: ['orders:read', 'orders:place'] }]);
    const deployment = find(manifests, 'Deployment', `${fullname}-orders-api`);
    expect(secretRefs(deployment)).toContainEqual({ env: 'API_KEYS', name: `${fullname}-api-keys`, key: 'API_KEYS' });
    const analytics = find(manifests, 'Deployment', `${fullname}-analytics`);
    expect(secretRefs(analytics)).toContainEqual({ env: 'API_KEYS', name: `${fullname}-api-keys`, key: 'API_KEYS' });
    expect(spec(analytics)['template'].metadata.annotations['checksum/api-keys']).toMatch(/^[a-f0-9]{64}$/);
    for (const configMap of ofKind(manifests, 'ConfigMap')) expect(configMap['data']).not.toHaveProperty('API_KEYS');
    const checksum = spec(deployment)['template'].metadata.annotations['checksum/api-keys'] as string;
    expect(checksum).toMatch(/^[a-f0-9]{64}$/);
    const rotated = await render(staged.dir, {
      values: { ...valueSets['external services'].values, ordersApi: { apiKeys: { keys: [{ name: 'storefront', key: 'r'.repeat(40), scopes: ['orders:read'] }] } } },
    });
    expect(spec(find(rotated.manifests, 'Deployment', `${fullname}-orders-api`))['template'].metadata.annotations['checksum/api-keys']).not.toBe(checksum);
  });

  it('refuse to render without API keys', async () => {
    await expect(render(staged.dir, { set: ['ordersApi.apiKeys.existingSecret='] })).rejects.toThrow(/No API keys for orders-api/);
  });

  it('store NATS passwords given as values in a Secret of the chart, keyed by service, and roll the pods when they change', async () => {
    const manifests = rendered('external services');
    const secret = find(manifests, 'Secret', `${fullname}-nats-credentials`);
    expect(secret['stringData']).toEqual(Object.fromEntries(serviceNames.map((service) => [service, `${service}-pw`])));
    // Not a hook: only the services read it, not the migration job.
    expect(secret.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
    const checksum = (m: Manifest[]) =>
      spec(find(m, 'Deployment', `${fullname}-payments`))['template'].metadata.annotations['checksum/nats-credentials'] as string;
    expect(checksum(manifests)).toMatch(/^[a-f0-9]{64}$/);
    const rotated = await render(staged.dir, {
      values: {
        ...valueSets['external services'].values,
        natsCredentials: { passwords: Object.fromEntries(serviceNames.map((service) => [service, `${service}-rotated`])) },
      },
    });
    expect(checksum(rotated.manifests)).not.toBe(checksum(manifests));
    expect(spec(find(rendered('default values'), 'Deployment', `${fullname}-payments`))['template'].metadata.annotations).not.toHaveProperty(
      'checksum/nats-credentials',
    );
  });

  it('store a database URL given as a value in a Secret that exists before the migration hook', () => {
    const manifests = rendered('external services');
    const secret = find(manifests, 'Secret', `${fullname}-database`);
    expect(secret['stringData']).toEqual({ DATABASE_URL: 'postgresql://pipeline:s3cret@db.example.internal:5432/pipeline' });
    expect(secret.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
      Number(ofKind(manifests, 'Job')[0]!.metadata.annotations?.['helm.sh/hook-weight']),
    );
    const deployment = find(manifests, 'Deployment', `${fullname}-shipments`);
    expect(secretRefs(deployment)).toEqual([
      { env: 'DATABASE_URL', name: `${fullname}-database`, key: 'DATABASE_URL' },
      { env: 'NATS_URL', name: 'nats-credentials', key: 'url' },
      { env: 'NATS_PASSWORD', name: `${fullname}-nats-credentials`, key: 'shipments' },
    ]);
    expect(find(manifests, 'ConfigMap', `${fullname}-common`)['data']).not.toHaveProperty('NATS_URL');
  });

  it('point at the bundled charts’ services and password Secret when the dependencies are on', () => {
    const manifests = rendered('bundled NATS and PostgreSQL');
    expect(find(manifests, 'ConfigMap', `${fullname}-common`)['data']).toMatchObject({
      NATS_URL: `nats://${releaseName}-nats:4222`,
    });
    const deployment = find(manifests, 'Deployment', `${fullname}-payments`);
    expect(secretRefs(deployment)).toEqual([
      { env: 'DATABASE_PASSWORD', name: `${releaseName}-postgresql`, key: 'password' },
      { env: 'NATS_PASSWORD', name: 'order-pipeline-nats', key: 'payments' },
    ]);
    expect(containerEnv(manifests, deployment)['DATABASE_URL']).toBe(
      `postgresql://pipeline:password@${releaseName}-postgresql:5432/pipeline`,
    );
  });

  it('export traces to otel.endpoint when it is set', () => {
    expect(find(rendered('external services'), 'ConfigMap', `${fullname}-common`)['data']).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
    });
    expect(find(rendered('default values'), 'ConfigMap', `${fullname}-common`)['data']).not.toHaveProperty(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    );
  });
});

describe('exposure', () => {
  it('routes the Ingress to the orders-api Service, with TLS', () => {
    const manifests = rendered('ingress on');
    const ingress = find(manifests, 'Ingress', `${fullname}-orders-api`);
    expect(spec(ingress)['ingressClassName']).toBe('nginx');
    expect(spec(ingress)['tls']).toEqual([{ secretName: 'orders-example-com-tls', hosts: ['orders.example.com'] }]);
    expect(spec(ingress)['rules'][0].http.paths[0].backend).toEqual({
      service: { name: `${fullname}-orders-api`, port: { name: 'http' } },
    });
    expect(ofKind(rendered('default values'), 'Ingress')).toEqual([]);
  });

  it('autoscales and protects every service by default, and uses replica counts without autoscaling', () => {
    expect(ofKind(rendered('default values'), 'HorizontalPodAutoscaler')).toHaveLength(serviceNames.length);
    expect(ofKind(rendered('default values'), 'PodDisruptionBudget')).toHaveLength(serviceNames.length);
    const manifests = rendered('autoscaling off');
    expect(ofKind(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(spec(find(manifests, 'Deployment', `${fullname}-payments`))['replicas']).toBe(3);
  });

  it('runs the pods under the chart’s ServiceAccount, which mounts no API token', () => {
    const manifests = rendered('default values');
    const account = find(manifests, 'ServiceAccount', fullname);
    expect(account['automountServiceAccountToken']).toBe(false);
    for (const deployment of ofKind(manifests, 'Deployment')) expect(podSpec(deployment)['serviceAccountName']).toBe(fullname);
    for (const deployment of ofKind(rendered('optional objects off'), 'Deployment')) {
      expect(podSpec(deployment)['serviceAccountName']).toBe('default');
    }
  });

  it('has a helm test that checks readiness and the OpenAPI document through the Service', () => {
    const pod = find(rendered('default values'), 'Pod', `${fullname}-test`);
    expect(pod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    const script = (spec(pod)['containers'][0] as Json)['args'].join(' ') as string;
    expect(script).toContain(`http://${fullname}-orders-api:80`);
    expect(script).toContain('/health');
    expect(script).toContain('/docs-json');
  });
});

describe('NOTES.txt', () => {
  it('tells how to reach the API and the OpenAPI UI through a port-forward by default', () => {
    const { notes } = renders.get('default values')!;
    expect(notes).toContain(`port-forward service/${fullname}-orders-api 3000:80`);
    expect(notes).toContain('http://localhost:3000/docs');
    expect(notes).toContain('http://localhost:3000/api/v1/orders');
    expect(notes).toContain('otel.endpoint is empty');
  });

  it('gives the Ingress URL when the Ingress is on, and where traces go when exported', () => {
    expect(renders.get('ingress on')!.notes).toContain('https://orders.example.com/docs');
    expect(renders.get('external services')!.notes).toContain('http://otel-collector.observability:4318');
  });
});
