// @ts-check
/**
 * The service's deployment entries, added the way the existing services'
 * are written: docker-compose.yml, the image's entry point and EXPOSE line,
 * the Helm chart (its services list, values, values schema), and the list of
 * services test/deploy checks. Text edits at named anchors, so the files'
 * comments and layout stay as they are.
 */
import { SchematicsException } from '@angular-devkit/schematics';

export const COMPOSE_FILE = 'docker-compose.yml';
export const DOCKERFILE = 'Dockerfile';
export const ENTRYPOINT_FILE = 'deploy/docker/entrypoint.sh';
export const CHART_DIR = 'helm/order-pipeline';
export const HELPERS_FILE = `${CHART_DIR}/templates/_helpers.tpl`;
export const VALUES_FILE = `${CHART_DIR}/values.yaml`;
export const VALUES_SCHEMA_FILE = `${CHART_DIR}/values.schema.json`;
export const CHART_README_FILE = `${CHART_DIR}/README.md`;
export const DEPLOY_TEST_SERVICES_FILE = 'test/deploy/support/app-env.ts';

// ------------------------------------------------------------------ compose

/** Top-level service names of the compose file. */
export function readComposeServices(text) {
  const { start, end } = composeServicesBlock(text);
  const body = text.slice(start, end);
  return [...body.matchAll(/^ {2}([a-z0-9][a-z0-9_.-]*):\s*$/gm)].map((m) => m[1]);
}

/** Every `PORT: "n"` in the compose file. */
export function readComposePorts(text) {
  return [...text.matchAll(/^\s+PORT:\s*"?(\d+)"?\s*$/gm)].map((m) => Number(m[1]));
}

/**
 * The variable the NATS users' generator reads a user's password from
 * (tools/contracts natsPasswordVariable: test/deploy checks they agree).
 * @param {string} user
 */
export function natsPasswordVariable(user) {
  return `NATS_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A service like payments and shipments: the shared image, hardening and start
 * order (<<: *service), the common environment, its own port and NATS user, a
 * health check; and its NATS password for the users' generator (nats-auth).
 * A service with a public API (`http`) takes orders-api's API keys, as inventory does.
 * @param {string} text
 * @param {{ name: string, port: number, http?: { route: string } }} service
 */
export function addComposeService(text, { name, port, http }) {
  if (readComposeServices(text).includes(name)) return text;
  if (http && !/&api-keys\b/.test(text)) throw missing(COMPOSE_FILE, "orders-api's `API_KEYS: &api-keys` (the keys a public API shares)");
  const apiKeys = http ? "      # The same API keys as orders-api's: its routes need orders:read.\n      API_KEYS: *api-keys\n" : '';
  const password = `\${${natsPasswordVariable(name)}:-${name}-dev-password}`;
  const block = `  ${name}:
    <<: *service
    command: ["${name}"]
    environment:
      <<: *common-env
      PORT: "${port}"
      OTEL_SERVICE_NAME: ${name}
      # Its own NATS user (the nats-auth service writes the same password).
      NATS_USER: ${name}
      NATS_PASSWORD: ${password}
${apiKeys}      # The service's own settings (apps/${name}/src/${name}-env.ts) go here.
    ports:
      - "${port}:${port}" # ${http ? `GET ${http.route}, Swagger UI at /docs, health` : 'health only'}
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
      interval: 10s
      timeout: 5s
      retries: 5
      start_period: 30s
`;
  const withPassword = addNatsAuthPassword(text, natsPasswordVariable(name), password);
  const { end } = composeServicesBlock(withPassword);
  const after = withPassword.slice(end);
  return `${withPassword.slice(0, end).trimEnd()}\n\n${block}${after ? `\n${after}` : ''}`;
}

/** The new user's password in nats-auth's environment, before the admin's; unchanged without nats-auth. */
function addNatsAuthPassword(text, variable, value) {
  const admin = /^( {6})NATS_PASSWORD_ADMIN: /m.exec(text);
  if (!/^ {2}nats-auth:\s*$/m.test(text) || text.includes(`      ${variable}: `)) return text;
  if (!admin) throw missing(COMPOSE_FILE, 'NATS_PASSWORD_ADMIN in the environment of nats-auth');
  return `${text.slice(0, admin.index)}${admin[1]}${variable}: ${value}\n${text.slice(admin.index)}`;
}

/** Where the top-level `services:` mapping starts and ends (the next top-level key or the end). */
function composeServicesBlock(text) {
  const start = text.search(/^services:\s*$/m);
  if (start < 0) throw missing(COMPOSE_FILE, 'the top-level `services:` key');
  const body = text.indexOf('\n', start) + 1;
  const next = text.slice(body).search(/^[a-z]/m);
  return { start, end: next < 0 ? text.length : body + next };
}

// ------------------------------------------------------------ Docker image

/** Lets `order-pipeline <name>` start the service, like the other services. */
export function addEntrypointService(text, name) {
  const pattern = /^(\s*)(orders-api(?: \| [a-z0-9-]+)*)\)\s*$/m;
  const match = pattern.exec(text);
  if (!match) throw missing(ENTRYPOINT_FILE, 'the `orders-api | payments | shipments)` case');
  if (match[2].split(' | ').includes(name)) return text;
  return text.replace(pattern, `${match[1]}${match[2]} | ${name})`);
}

/** Adds the port to the image's EXPOSE line. */
export function addExposedPort(text, port) {
  const pattern = /^EXPOSE ((?:\d+ ?)+)$/m;
  const match = pattern.exec(text);
  if (!match) throw missing(DOCKERFILE, 'an `EXPOSE <ports>` line');
  const ports = match[1].trim().split(/\s+/);
  if (ports.includes(String(port))) return text;
  return text.replace(pattern, `EXPOSE ${[...ports, String(port)].join(' ')}`);
}

// -------------------------------------------------------------------- Helm

/** The chart's services list (`order-pipeline.services` in _helpers.tpl): name -> { key, port }. */
export function readChartServices(text) {
  const block = chartServicesBlock(text);
  return [...block.matchAll(/^([a-z0-9-]+):\s*\n\s+key:\s*(\w+)\s*\n\s+port:\s*(\d+)/gm)].map((m) => ({
    name: m[1],
    key: m[2],
    port: Number(m[3]),
  }));
}

/** Adds the service to the list every service template ranges over. */
export function addChartService(text, { name, key, port }) {
  if (readChartServices(text).some((s) => s.name === name)) return text;
  const block = chartServicesBlock(text);
  const updated = `${block.trimEnd()}\n${name}:\n  key: ${key}\n  port: ${port}\n`;
  return text.replace(block, updated);
}

function chartServicesBlock(text) {
  const open = '{{- define "order-pipeline.services" -}}\n';
  const start = text.indexOf(open);
  if (start < 0) throw missing(HELPERS_FILE, 'the `order-pipeline.services` definition');
  const end = text.indexOf('{{- end }}', start);
  if (end < 0) throw missing(HELPERS_FILE, 'the end of the `order-pipeline.services` definition');
  return text.slice(start + open.length, end);
}

/**
 * The service's values, the same keys as shipments' (without its warehouses),
 * before the migrations section; and its `networkPolicy.ingressFrom` entry.
 * @param {string} text values.yaml
 * @param {{ name: string, key: string, port: number }} service
 */
export function addChartValues(text, { name, key, port }) {
  let result = text;
  if (!new RegExp(`^${key}:`, 'm').test(result)) {
    const block = `${key}:
  # Values of the ${name} service (apps/${name}), generated by the service-app schematic.
  replicaCount: 2
  resources:
    requests:
      cpu: 100m
      memory: 192Mi
    limits:
      memory: 512Mi
  autoscaling:
    enabled: true
    minReplicas: 2
    maxReplicas: 10
    targetCPUUtilizationPercentage: 70
    targetMemoryUtilizationPercentage: null
  podDisruptionBudget:
    enabled: true
    maxUnavailable: 1
    minAvailable: null
  outboxRelayEnabled: true
  # The service's own settings (apps/${name}/src/${name}-env.ts), as NAME: value.
  env: {}
  extraEnv: []
  podAnnotations: {}
  podLabels: {}
  nodeSelector: {}
  tolerations: []
  affinity: {}
  priorityClassName: ""
  service:
    type: ClusterIP
    port: ${port}
    annotations: {}

`;
    // After the last service: before the `# ---- migrations` section rule, or
    // else before the comments and blank lines that lead to `migrations:`.
    let at = result.search(/^# -+ migrations\s*$/m);
    if (at < 0) {
      const migrations = result.search(/^migrations:/m);
      if (migrations < 0) throw missing(VALUES_FILE, 'the top-level `migrations:` key');
      const lines = result.slice(0, migrations).split('\n');
      lines.pop();
      while (lines.length > 0 && /^(#.*|\s*)$/.test(lines.at(-1) ?? '')) lines.pop();
      at = lines.join('\n').length + 1;
      result = `${result.slice(0, at)}\n${block}${result.slice(at)}`;
    } else {
      result = `${result.slice(0, at)}${block}${result.slice(at)}`;
    }
  }
  const ingressFrom = /^( {2}ingressFrom:\n)((?: {4}\S.*\n)+)/m;
  const match = ingressFrom.exec(result);
  if (!match) throw missing(VALUES_FILE, '`networkPolicy.ingressFrom` with one line per service');
  if (!new RegExp(`^ {4}${key}:`, 'm').test(match[2])) {
    result = result.replace(ingressFrom, `${match[1]}${match[2]}    ${key}: []\n`);
  }
  return result;
}

/**
 * The values schema: the service's object (shipments' shape without its
 * own settings, so the same checks apply), required like the others, and its
 * `networkPolicy.ingressFrom` entry.
 * @param {string} text values.schema.json
 * @param {string} key
 */
export function addChartValuesSchema(text, key) {
  const schema = JSON.parse(text);
  const template = schema.properties?.shipments ?? schema.properties?.payments;
  if (!template) throw missing(VALUES_SCHEMA_FILE, 'properties.shipments, the shape the new service copies');
  if (!schema.properties[key]) {
    const own = structuredClone(template);
    // Settings of shipments' and payments' own domain (warehouses, manual dispatch, the mock carrier and gateway).
    const specifics = ['warehouses', 'dispatch', 'carrierSeed', 'gateway'];
    for (const specific of specifics) delete own.properties[specific];
    own.required = own.required.filter((name) => !specifics.includes(name));
    schema.properties[key] = own;
  }
  if (Array.isArray(schema.required) && !schema.required.includes(key)) {
    const at = schema.required.indexOf('migrations');
    schema.required.splice(at < 0 ? schema.required.length : at, 0, key);
  }
  const ingressFrom = schema.properties.networkPolicy?.properties?.ingressFrom?.properties;
  if (!ingressFrom) throw missing(VALUES_SCHEMA_FILE, 'properties.networkPolicy.properties.ingressFrom');
  ingressFrom[key] ??= { $ref: '#/definitions/peers' };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Rows for the service's values in the chart README's table (test/deploy
 * checks that every value is documented). Undefined when the table's rows to
 * anchor on are not there; the caller then says so instead of failing.
 * @param {string} text README.md
 * @param {{ name: string, key: string, port: number }} service
 * @returns {string | undefined}
 */
export function addChartReadmeRows(text, { name, key, port }) {
  if (text.includes(`| \`${key}.*\` |`)) return text;
  const migrations = text.search(/^\| `migrations\.enabled` \|/m);
  const ingressRows = [...text.matchAll(/^\| `networkPolicy\.ingressFrom\.[^`]+` \|.*$/gm)];
  const lastIngress = ingressRows.at(-1);
  if (migrations < 0 || !lastIngress || lastIngress.index === undefined) return undefined;
  const valuesRow = `| \`${key}.*\` | as \`ordersApi\` | same keys except \`ingress\`; Service port \`${port}\` (the ${name} service) |\n`;
  const ingressRow = `\n| \`networkPolicy.ingressFrom.${key}\` | \`[]\` | peers allowed to reach ${name}' health port |`;
  const afterIngress = lastIngress.index + lastIngress[0].length;
  // The ingress rows come after the migrations row: insert there first.
  const withIngress = `${text.slice(0, afterIngress)}${ingressRow}${text.slice(afterIngress)}`;
  return `${withIngress.slice(0, migrations)}${valuesRow}${withIngress.slice(migrations)}`;
}

// ------------------------------------------------------- test/deploy's list

/**
 * Registers the service's env schema with test/deploy, which then checks its
 * compose and Helm environment against it like the other services'.
 * @param {string} text app-env.ts
 * @param {import('./names.js').ServiceNames} names
 */
export function addDeployTestService(text, names) {
  const importLine = `import { ${names.envSchema} } from '../../../apps/${names.name}/src/${names.name}-env.js';`;
  let result = text;
  if (!result.includes(importLine)) {
    const imports = [...result.matchAll(/^import \{ \w+ \} from '\.\.\/\.\.\/\.\.\/apps\/[^']+';$/gm)];
    const last = imports.at(-1);
    if (!last || last.index === undefined) throw missing(DEPLOY_TEST_SERVICES_FILE, 'the imports of the apps’ env schemas');
    const at = last.index + last[0].length;
    result = `${result.slice(0, at)}\n${importLine}${result.slice(at)}`;
  }
  const union = /export type ServiceName =([^;]*);/;
  const members = union.exec(result);
  if (!members) throw missing(DEPLOY_TEST_SERVICES_FILE, 'export type ServiceName = ...;');
  if (!members[1].includes(`'${names.name}'`)) result = result.replace(union, (_, m) => `export type ServiceName =${m} | '${names.name}';`);
  const open = 'export const envSchemas: Record<ServiceName, z.ZodObject> = {';
  const start = result.indexOf(open);
  if (start < 0) throw missing(DEPLOY_TEST_SERVICES_FILE, open);
  const end = result.indexOf('\n};', start);
  if (end < 0) throw missing(DEPLOY_TEST_SERVICES_FILE, 'the end of envSchemas');
  if (!result.slice(start, end).includes(names.envSchema)) {
    const property = /^[a-z][a-z0-9]*$/.test(names.name) ? names.name : `'${names.name}'`;
    result = `${result.slice(0, end)}\n  ${property}: ${names.envSchema},${result.slice(end)}`;
  }
  return result;
}

/**
 * @param {string} file
 * @param {string} anchor
 */
export function missing(file, anchor) {
  return new SchematicsException(`${file}: could not find ${anchor}, which service-app edits. Was the file restructured? Nothing was changed.`);
}
