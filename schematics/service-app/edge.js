// @ts-check
/**
 * A `--http` service's place behind the public edge: orders-api forwards its
 * route (public-edge.ts upstreamRoutes, with a `<NAME>_URL` setting in
 * orders-env.ts that configure-http.ts passes on), the build puts its routes
 * in the one OpenAPI document (tools/openapi BEHIND_THE_EDGE), local-infra
 * starts it and hands the edge its port, and compose and the Helm chart give
 * orders-api its URL, let orders-api reach it, and give it the API keys.
 * Text edits at named anchors, like deploy.js's, so the files keep their
 * comments and layout; each throws (changing nothing) when its anchor is gone.
 */
import { missing } from './deploy.js';

export const OPENAPI_DOCUMENT_FILE = 'tools/openapi/src/public-api-document.ts';
export const PUBLIC_EDGE_FILE = 'apps/orders-api/src/public-edge.ts';
export const EDGE_HTTP_FILE = 'apps/orders-api/src/configure-http.ts';
export const EDGE_ENV_FILE = 'apps/orders-api/src/orders-env.ts';
export const EDGE_SOURCE_DIR = 'apps/orders-api/src';
export const PIPELINE_FILE = 'tools/local-infra/src/pipeline.ts';
export const CONFIGMAP_FILE = 'helm/order-pipeline/templates/configmap.yaml';
export const NETWORK_POLICY_FILE = 'helm/order-pipeline/templates/networkpolicy.yaml';
export const DEPLOYMENT_FILE = 'helm/order-pipeline/templates/deployment.yaml';

/**
 * @typedef {object} EdgeService
 * @property {string} name
 * @property {string} camel  the Helm values key
 * @property {number} port
 * @property {import('./names.js').HttpNames} api
 */

/** The path prefixes the edge forwards today (upstreamRoutes' pathPrefix values). @param {string} text */
export function readUpstreamPrefixes(text) {
  return [...text.matchAll(/pathPrefix: '([^']+)'/g)].map((m) => m[1]);
}

/**
 * Inserts `addition` after the last match of `pattern` (a global regex).
 * @param {string} text
 * @param {RegExp} pattern
 * @param {string} addition
 * @param {string} file
 * @param {string} anchor
 */
function afterLast(text, pattern, addition, file, anchor) {
  const last = [...text.matchAll(pattern)].at(-1);
  if (!last || last.index === undefined) throw missing(file, anchor);
  const at = last.index + last[0].length;
  return `${text.slice(0, at)}${addition}${text.slice(at)}`;
}

/**
 * Appends `item` to the list that `pattern`'s first group captures (and the rest of the match keeps).
 * @param {string} text
 * @param {RegExp} pattern
 * @param {(list: string) => string} extend
 * @param {string} file
 * @param {string} anchor
 */
function extendList(text, pattern, extend, file, anchor) {
  if (!pattern.test(text)) throw missing(file, anchor);
  pattern.lastIndex = 0;
  return text.replace(pattern, (whole, list) => whole.replace(list, extend(list)));
}

// -------------------------------------------------------------- the document

/** The service's PublicApi in BEHIND_THE_EDGE, so the build writes its routes into the one document. @param {string} text @param {EdgeService} service */
export function addToOpenApiDocument(text, { name, api }) {
  if (text.includes(api.publicApi)) return text;
  const withImport = afterLast(
    text,
    /^import \{ \w+ \} from '\.\.\/\.\.\/\.\.\/apps\/[^']+\/public-api\.js';$/gm,
    `\nimport { ${api.publicApi} } from '../../../apps/${name}/src/public-api.js';`,
    OPENAPI_DOCUMENT_FILE,
    "the imports of the services' public-api.js",
  );
  return extendList(
    withImport,
    /export const BEHIND_THE_EDGE: readonly PublicApi\[\] = \[([^\]]*)\];/,
    (list) => `${list.trimEnd()}, ${api.publicApi}`,
    OPENAPI_DOCUMENT_FILE,
    'export const BEHIND_THE_EDGE: readonly PublicApi[] = [...];',
  );
}

// --------------------------------------------------------------- orders-api

/** The route orders-api forwards to the service, and the setting it takes the target from. @param {string} text @param {EdgeService} service */
export function addUpstreamRoute(text, { name, api }) {
  if (readUpstreamPrefixes(text).includes(api.route)) return text;
  const withSetting = extendList(
    text,
    /export function upstreamRoutes\(env: Pick<OrdersEnv, ([^>]*)>\)/,
    (list) => `${list} | '${api.urlVariable}'`,
    PUBLIC_EDGE_FILE,
    "upstreamRoutes(env: Pick<OrdersEnv, '..._URL'>)",
  );
  return afterLast(
    withSetting,
    /^ {4}\{ service: '[a-z0-9-]+', pathPrefix: '[^']+', target: env\.\w+ \},$/gm,
    `\n    { service: '${name}', pathPrefix: '${api.route}', target: env.${api.urlVariable} },`,
    PUBLIC_EDGE_FILE,
    "upstreamRoutes' `{ service, pathPrefix, target }` lines",
  );
}

/** configure-http.ts passes the new setting to upstreamRoutes. @param {string} text @param {EdgeService} service */
export function addUpstreamSetting(text, { api }) {
  if (text.includes(`${api.urlVariable}:`)) return text;
  return extendList(
    text,
    /upstreamRoutes\(\{([^}]*)\}\)/,
    (list) => `${list.trimEnd()}, ${api.urlVariable}: config.get('${api.urlVariable}') `,
    EDGE_HTTP_FILE,
    'upstreamRoutes({ ..._URL: config.get(...) })',
  );
}

/** orders-api's `<NAME>_URL` setting, defaulting to the service's local port. @param {string} text @param {EdgeService} service */
export function addEdgeEnvSetting(text, { name, port, api }) {
  if (text.includes(`  ${api.urlVariable}:`)) return text;
  return afterLast(
    text,
    /^ {2}[A-Z_]+_URL: z\.url\(\)\.default\('[^']+'\),$/gm,
    `\n  /** The ${name} service, which answers the public API's ${api.route} behind this edge (generated by service-app). */\n` +
      `  ${api.urlVariable}: z.url().default('http://127.0.0.1:${port}'),`,
    EDGE_ENV_FILE,
    "the services' `..._URL: z.url().default(...)` settings",
  );
}

/**
 * The orders-api's own route prefixes (its controllers' paths under /api/v1), which a new route must not shadow.
 * @param {import('@angular-devkit/schematics').Tree} tree
 */
export function readEdgeOwnPrefixes(tree) {
  /** @type {string[]} */
  const prefixes = [];
  tree.getDir(EDGE_SOURCE_DIR).visit((path) => {
    if (!path.endsWith('.controller.ts')) return;
    const text = tree.readText(path);
    for (const m of text.matchAll(/@Controller\('([^']+)'\)/g)) prefixes.push(`/api/v1/${m[1]}`);
  });
  return prefixes;
}

// --------------------------------------------------------------- local-infra

/** startPipeline starts the service, gives it the API keys, and passes its port to the edge. @param {string} text @param {EdgeService} service */
export function addPipelineService(text, { name, api }) {
  if (text.includes(`${api.urlVariable}:`)) return text;
  let result = extendList(
    text,
    /export const PIPELINE_SERVICES = \[([^\]]*)\] as const;/,
    (list) => `${list.trimEnd()}, '${name}'`,
    PIPELINE_FILE,
    'export const PIPELINE_SERVICES = [...] as const;',
  );
  result = extendList(
    result,
    // One line; its values are template literals, so the list ends at the line's `};`.
    /const upstreams = \{(.*)\};$/m,
    (list) => `${list.trimEnd()}, ${api.urlVariable}: \`http://\${HOST}:\${portOf('${name}')}\` `,
    PIPELINE_FILE,
    'const upstreams = { ..._URL: ... };',
  );
  result = extendList(
    result,
    /type UpstreamUrls = Partial<Record<([^,]*), string>>;/,
    (list) => `${list} | '${api.urlVariable}'`,
    PIPELINE_FILE,
    "type UpstreamUrls = Partial<Record<'..._URL', string>>;",
  );
  return extendList(
    result,
    /((?:name === '[a-z0-9-]+'(?: \|\| )?)+) \? \{ API_KEYS: settings\.apiKeysEnv/,
    (list) => `${list} || name === '${name}'`,
    PIPELINE_FILE,
    "the services given the API keys (`name === 'inventory' ? { API_KEYS: ... }`)",
  );
}

// ------------------------------------------------------------------- compose

/** orders-api's `<NAME>_URL` in compose, with the other services it forwards to. @param {string} text @param {EdgeService} service */
export function addComposeUpstream(text, { name, port, api }) {
  if (text.includes(`      ${api.urlVariable}: `)) return text;
  return afterLast(
    text,
    /^ {6}# The public edge forwards[^\n]*\n(?: {6}[A-Z_]+_URL: [^\n]+\n)*(?= {6}[A-Z_]+_URL: )[^\n]+/gm,
    `\n      ${api.urlVariable}: http://${name}:${port}`,
    'docker-compose.yml',
    "orders-api's `# The public edge forwards ...` comment and its `..._URL` lines",
  );
}

// ---------------------------------------------------------------------- Helm

/** orders-api's `<NAME>_URL` in the ConfigMap, from the service's name and port in the chart. @param {string} text @param {EdgeService} service */
export function addConfigMapUpstream(text, { name, camel, api }) {
  if (text.includes(`  ${api.urlVariable}: `)) return text;
  return afterLast(
    text,
    /^ {2}[A-Z_]+_URL: \{\{ printf "http:\/\/%s:%v" \(include "order-pipeline\.componentName" \(list \$ "[a-z0-9-]+"\)\)[^\n]*$/gm,
    `\n  ${api.urlVariable}: {{ printf "http://%s:%v" (include "order-pipeline.componentName" (list $ "${name}")) (int64 $.Values.${camel}.service.port) | quote }}`,
    CONFIGMAP_FILE,
    'the `..._URL: {{ printf "http://%s:%v" ... }}` lines of the services behind the edge',
  );
}

/** The network policy lets orders-api reach the service, and the service take orders-api's requests. @param {string} text @param {EdgeService} service */
export function addBehindTheEdgePolicy(text, { name }) {
  return extendList(
    text,
    /\{\{- \$behindTheEdge := list((?: "[a-z0-9-]+")*) \}\}/,
    (list) => (list.includes(`"${name}"`) ? list : `${list} "${name}"`),
    NETWORK_POLICY_FILE,
    '{{- $behindTheEdge := list "..." }}',
  );
}

/** The services with a public API take orders-api's API keys (the env and the checksum that rolls the pods). @param {string} text @param {EdgeService} service */
export function addApiKeysService(text, { name }) {
  return extendList(
    text,
    /has \$name \(list((?: "[a-z0-9-]+")*)\)/g,
    (list) => (list.includes(`"${name}"`) ? list : `${list} "${name}"`),
    DEPLOYMENT_FILE,
    'has $name (list "orders-api" ...), the services given the API keys',
  );
}
