// @ts-check
/**
 * `nest generate service-app <name>`: a new JetStream service that follows
 * every invariant of DESIGN.md from its first commit. See schema.json for the
 * options and the README section "Adding a service" for what it writes.
 *
 * Everything is checked before anything is written (a schematic's tree is
 * committed only when the whole rule succeeds), so a run that fails, a second
 * run for the same name among them, changes nothing.
 */
import {
  SchematicsException,
  apply,
  applyTemplates,
  chain,
  filter,
  mergeWith,
  move,
  url,
} from '@angular-devkit/schematics';
import * as contracts from './contracts.js';
import * as deploy from './deploy.js';
import * as edge from './edge.js';
import {
  EVENT_TOKEN_PATTERN,
  AGGREGATE_PATTERN,
  MAX_SERVICE_NAME_LENGTH,
  SERVICE_NAME_PATTERN,
  consumerKey,
  durableName,
  eventConstName,
  httpNames,
  listOption,
  normaliseServiceName,
  serviceNames,
  strings,
} from './names.js';
import * as prisma from './prisma.js';
import * as workspace from './workspace.js';

const SAMPLE_EVENTS_FILE = 'test/integration/support/sample-events.ts';
const FIRST_PORT = 3001;

/**
 * @typedef {object} ServiceAppOptions
 * @property {string} [name]
 * @property {string} [project]
 * @property {string | string[]} [consumes]
 * @property {string | string[]} [emits]
 * @property {string} [aggregate]
 * @property {number} [port]
 * @property {boolean} [http]
 */

/**
 * @param {ServiceAppOptions} options
 * @returns {import('@angular-devkit/schematics').Rule}
 */
export function serviceApp(options) {
  return (tree, context) => {
    const plan = planService(tree, options, new Date());
    const { names } = plan;
    const values = { ...strings, strings, ...plan, ...names, useCaseFolder: names.useCase.folder, http: plan.api !== undefined };
    const source = `apps/${names.name}/src/${names.useCase.folder}`;
    // A service that emits nothing (a read model, a sink) gets no events file: it owns no stream.
    const emitsSomething = plan.emitted.length > 0;
    return chain([
      mergeWith(apply(url('./files'), [filter((path) => emitsSomething || !path.startsWith('/libs/contracts/src/events/')), applyTemplates(values), move('/')])),
      ...plan.consumed.map((event) =>
        mergeWith(apply(url('./handler-files'), [applyTemplates({ ...values, event, handlerFile: event.handlerFile }), move(source)])),
      ),
      mergeWith(apply(url('./shared-files'), [filter((path) => !tree.exists(path)), applyTemplates(values), move('/')])),
      // --http: the public read routes over the aggregate, its PublicApi and HTTP set-up.
      ...(plan.api
        ? [
            mergeWith(
              apply(url('./http-files'), [
                applyTemplates({ ...values, httpFolder: plan.api.folder, aggregateKebab: names.aggregate.kebab, apiPlural: plan.api.plural }),
                move('/'),
              ]),
            ),
          ]
        : []),
      (target) => {
        applyEdits(target, plan, context);
        return target;
      },
      () => {
        context.logger.info(nextSteps(plan));
      },
    ]);
  };
}

/**
 * Validates the options against the repository and works out every name,
 * port and file of the new service. Throws one SchematicsException listing
 * every problem; nothing has been written at that point.
 * @param {import('@angular-devkit/schematics').Tree} tree
 * @param {ServiceAppOptions} options
 * @param {Date} now
 */
export function planService(tree, options, now) {
  const rawName = options.name ?? options.project;
  const consumesList = listOption(options.consumes);
  const emitsList = listOption(options.emits);
  const usage =
    'Usage: npx nest generate service-app <name> (asks for --consumes and --emits in a terminal), or\n' +
    '       npm run generate:service-app -- <name> --consumes <subject>[,<subject>] [--emits <type>[,<type>]] [--http] [--dry-run]\n' +
    "(Nest 12's `nest generate` passes on only its own options, so --consumes and --emits cannot be given to it as flags.)";
  // --emits may be empty: a service that only consumes (a read model such as
  // analytics) owns no stream and emits nothing. --consumes may not: a
  // service without a consumer has nothing to apply.
  if (!rawName || consumesList.length === 0) {
    const lacking = [!rawName && 'a name', consumesList.length === 0 && '--consumes'].filter(Boolean);
    throw new SchematicsException(`service-app needs ${lacking.join(', ')}.\n${usage}`);
  }

  const name = normaliseServiceName(rawName);
  if (!SERVICE_NAME_PATTERN.test(name) || name.length > MAX_SERVICE_NAME_LENGTH) {
    throw new SchematicsException(
      `"${rawName}" is not a usable service name: use letters and digits in kebab-case or camelCase, starting with a letter, ` +
        `at most ${MAX_SERVICE_NAME_LENGTH} characters (e.g. refunds, loyalty-points).`,
    );
  }
  if (options.aggregate !== undefined && !AGGREGATE_PATTERN.test(options.aggregate)) {
    throw new SchematicsException(`--aggregate "${options.aggregate}" must be PascalCase (e.g. Refund).`);
  }
  const names = serviceNames(name, options.aggregate);

  const consumersText = contracts.readText(tree, contracts.CONSUMERS_FILE);
  const servicesText = contracts.readText(tree, contracts.SERVICES_FILE);
  const streamsText = contracts.readText(tree, contracts.STREAMS_FILE);
  const schemaText = contracts.readText(tree, prisma.SCHEMA_FILE);
  const nestCliText = contracts.readText(tree, workspace.NEST_CLI_FILE);
  const packageText = contracts.readText(tree, workspace.PACKAGE_FILE);
  const composeText = tree.exists(deploy.COMPOSE_FILE) ? contracts.readText(tree, deploy.COMPOSE_FILE) : undefined;
  const helpersText = tree.exists(deploy.HELPERS_FILE) ? contracts.readText(tree, deploy.HELPERS_FILE) : undefined;
  const valuesText = tree.exists(deploy.VALUES_FILE) ? contracts.readText(tree, deploy.VALUES_FILE) : undefined;
  const knownEvents = contracts.readEvents(tree);
  const streams = contracts.readStreams(streamsText);
  const chartServices = helpersText ? deploy.readChartServices(helpersText) : [];

  // ----------------------------------------------------- does it exist already?
  const existing = [
    tree.getDir(`apps/${name}`).subfiles.length + tree.getDir(`apps/${name}`).subdirs.length > 0 && `apps/${name}`,
    workspace.readNestProjects(nestCliText).includes(name) && `the nest-cli.json project "${name}"`,
    contracts.readServiceNames(servicesText).includes(name) && `the ServiceName "${name}" in ${contracts.SERVICES_FILE}`,
    streams.some((s) => s.name === names.stream) && `the stream ${names.stream} in ${contracts.STREAMS_FILE}`,
    tree.exists(`${contracts.EVENTS_DIR}/${name}.ts`) && `${contracts.EVENTS_DIR}/${name}.ts`,
    prisma.readDatasourceSchemas(schemaText).includes(names.schema) && `the PostgreSQL schema "${names.schema}" in ${prisma.SCHEMA_FILE}`,
    composeText && deploy.readComposeServices(composeText).includes(name) && `the service "${name}" in ${deploy.COMPOSE_FILE}`,
    chartServices.some((s) => s.name === name || s.key === names.camel) && `the service "${name}" in ${deploy.HELPERS_FILE}`,
    valuesText && new RegExp(`^${names.camel}:`, 'm').test(valuesText) && `the key "${names.camel}" in ${deploy.VALUES_FILE}`,
    JSON.parse(packageText).scripts?.[`start:${name}`] !== undefined && `the script start:${name} in package.json`,
  ].filter(Boolean);
  if (existing.length > 0) {
    throw new SchematicsException(
      `A service named "${name}" already exists: ${existing.join('; ')}. service-app changed nothing. ` +
        'Pick another name, or remove the old service first.',
    );
  }

  const problems = [];

  // ------------------------------------------------------------------ emits
  const ownSubjects = `${name}.>`;
  for (const stream of emitsList.length === 0 ? [] : [...streams, ...contracts.readOtherStreams(tree)]) {
    if (stream.name === names.stream) problems.push(`the stream name ${names.stream} is taken (${contracts.DEAD_LETTERS_FILE})`);
    if (stream.subjects.some((subject) => contracts.subjectMatches(subject, `${name}.x`) || contracts.subjectMatches(ownSubjects, subject))) {
      problems.push(`the stream ${stream.name} already captures ${name}.* subjects, which ${names.stream} would own`);
    }
  }
  const exported = new Set(knownEvents.map((e) => e.constName));
  const modelNames = new Set(prisma.readModelNames(schemaText));
  /** @type {{ type: string, constName: string }[]} */
  const emitted = [];
  for (const type of emitsList) {
    const tokens = type.split('.');
    if (tokens[0] !== name || tokens.length < 2 || !tokens.slice(1).every((t) => EVENT_TOKEN_PATTERN.test(t))) {
      problems.push(`--emits ${type}: an emitted type must be ${name}.<event> in lower-case kebab tokens (e.g. ${name}.completed): the service's stream ${names.stream} captures ${name}.>`);
      continue;
    }
    const constName = eventConstName(names, type);
    if (knownEvents.some((e) => e.type === type)) problems.push(`--emits ${type}: that event type is already registered in ${contracts.EVENTS_DIR}`);
    else if (exported.has(constName) || emitted.some((e) => e.constName === constName)) problems.push(`--emits ${type}: its contract would be named ${constName}, which is taken`);
    else emitted.push({ type, constName });
  }

  // --------------------------------------------------------------- consumes
  const knownDurables = new Set(contracts.readDurables(consumersText));
  /** @type {{ type: string, constName: string, stream: string, file: string, key: string, durable: string, handlerFile: string, handlerClass: string, method: string }[]} */
  const consumed = [];
  for (const subject of consumesList) {
    if (/[*>]/.test(subject)) {
      problems.push(`--consumes ${subject}: wildcards are not supported; name each subject (each gets its own consumer and typed handler)`);
      continue;
    }
    if (emitsList.includes(subject)) {
      problems.push(`--consumes ${subject}: the service emits it itself, and the generated use case emits ${emitsList[0]} for every event it applies, which would loop; add such a handler by hand`);
      continue;
    }
    const event = knownEvents.find((e) => e.type === subject);
    if (!event) {
      problems.push(`--consumes ${subject}: no such event in ${contracts.EVENTS_DIR} (known: ${knownEvents.map((e) => e.type).join(', ')})`);
      continue;
    }
    if (!event.hasOrderId) {
      problems.push(`--consumes ${subject}: its payload has no orderId, by which the generated aggregate and ordering key work`);
      continue;
    }
    const durable = durableName(name, subject);
    if (knownDurables.has(durable)) problems.push(`--consumes ${subject}: the durable ${durable} exists already`);
    const handlerFile = strings.dasherize(event.constName);
    consumed.push({
      type: subject,
      constName: event.constName,
      stream: event.stream,
      file: event.file,
      key: consumerKey(names, event.constName),
      durable,
      handlerFile,
      handlerClass: `${event.constName}Handler`,
      method: `on${event.constName}`,
    });
  }

  // ------------------------------------------------------------------ Prisma
  for (const model of [names.aggregate.className, names.outboxModel, names.inboxModel]) {
    if (modelNames.has(model)) problems.push(`the Prisma model ${model} exists already${model === names.aggregate.className ? ' (choose another with --aggregate)' : ''}`);
  }

  // -------------------------------------------------------------------- port
  const usedPorts = [
    ...(composeText ? deploy.readComposePorts(composeText) : []),
    ...chartServices.map((s) => s.port),
  ];
  const port = options.port ?? Math.max(FIRST_PORT - 1, ...usedPorts) + 1;
  if (options.port !== undefined && usedPorts.includes(options.port)) problems.push(`--port ${options.port} is used by another service`);

  // -------------------------------------------------------------------- http
  const api = options.http ? httpNames(names) : undefined;
  if (api) {
    const edgeText = tree.exists(edge.PUBLIC_EDGE_FILE) ? contracts.readText(tree, edge.PUBLIC_EDGE_FILE) : '';
    const taken = [...edge.readUpstreamPrefixes(edgeText), ...edge.readEdgeOwnPrefixes(tree)];
    const clash = taken.find((prefix) => prefix === api.route || prefix.startsWith(`${api.route}/`) || api.route.startsWith(`${prefix}/`));
    if (clash) problems.push(`--http: its route ${api.route} meets ${clash}, which the public edge already answers or forwards (choose another --aggregate)`);
    const envText = tree.exists(edge.EDGE_ENV_FILE) ? contracts.readText(tree, edge.EDGE_ENV_FILE) : '';
    if (new RegExp(`^\\s+${api.urlVariable}:`, 'm').test(envText)) problems.push(`--http: orders-api has a setting ${api.urlVariable} already (${edge.EDGE_ENV_FILE})`);
  }

  if (problems.length > 0) {
    throw new SchematicsException(`service-app ${name}: nothing was changed, because\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  const migrations = tree.getDir(prisma.MIGRATIONS_DIR).subdirs.map(String);
  const migration = prisma.migrationFolderName(migrations, names.schema, now);
  const primary = emitted[0];
  return { names, consumed, emitted, primary, port, api, migration, consumedFiles: [...new Set(consumed.map((c) => c.file))] };
}

/**
 * The edits to existing files, each at a named anchor (see the modules).
 * @param {import('@angular-devkit/schematics').Tree} tree
 * @param {ReturnType<typeof planService>} plan
 * @param {import('@angular-devkit/schematics').SchematicContext} context
 */
function applyEdits(tree, plan, context) {
  const { names, consumed, emitted, port, api } = plan;
  const edit = (path, change) => {
    const before = contracts.readText(tree, path);
    const after = change(before);
    if (after !== before) tree.overwrite(path, after);
  };

  // Contracts: the service, its stream, its consumers, its events.
  edit(contracts.SERVICES_FILE, (text) => contracts.addServiceName(text, names.name));
  edit(contracts.CONSUMERS_FILE, (text) =>
    contracts.addConsumers(
      text,
      consumed.map((c) => ({
        key: c.key,
        durable: c.durable,
        stream: c.stream,
        filterSubject: c.type,
        service: names.name,
        description: `${names.className}: applies each ${c.type} to its ${names.aggregate.className} (describe what it does).`,
      })),
    ),
  );
  if (emitted.length > 0) {
    edit(contracts.STREAMS_FILE, (text) =>
      contracts.addStream(text, { name: names.stream, subjects: [`${names.name}.>`], description: `Events owned by ${names.name}`, service: names.name }),
    );
    edit(contracts.REGISTRY_FILE, (text) => contracts.addToRegistry(text, names.name, emitted.map((e) => e.constName)));
    edit(contracts.INDEX_FILE, (text) => contracts.addToIndex(text, names.name));
  }

  // Database: the schema, its models, a new migration.
  edit(prisma.SCHEMA_FILE, (text) => `${prisma.addDatasourceSchema(text, names.schema).trimEnd()}\n${prisma.renderModels(names)}`);
  tree.create(`${prisma.MIGRATIONS_DIR}/${plan.migration}/migration.sql`, prisma.renderMigrationSql(names));

  // Workspace.
  edit(workspace.NEST_CLI_FILE, (text) => workspace.addNestProject(text, names.name));
  edit(workspace.PACKAGE_FILE, (text) => workspace.addStartScript(text, names.name));

  // Deployment, where the files exist.
  const service = { name: names.name, key: names.camel, port, http: api };
  if (tree.exists(deploy.COMPOSE_FILE)) edit(deploy.COMPOSE_FILE, (text) => deploy.addComposeService(text, service));
  if (tree.exists(deploy.ENTRYPOINT_FILE)) edit(deploy.ENTRYPOINT_FILE, (text) => deploy.addEntrypointService(text, names.name));
  if (tree.exists(deploy.DOCKERFILE)) edit(deploy.DOCKERFILE, (text) => deploy.addExposedPort(text, port));
  if (tree.exists(deploy.HELPERS_FILE)) {
    edit(deploy.HELPERS_FILE, (text) => deploy.addChartService(text, service));
    edit(deploy.VALUES_FILE, (text) => deploy.addChartValues(text, service));
    edit(deploy.VALUES_SCHEMA_FILE, (text) => deploy.addChartValuesSchema(text, names.camel));
    if (tree.exists(deploy.CHART_README_FILE)) {
      edit(deploy.CHART_README_FILE, (text) => {
        const updated = deploy.addChartReadmeRows(text, service);
        if (updated === undefined) context.logger.warn(`${deploy.CHART_README_FILE}: add rows for ${names.camel}.* to the values table by hand.`);
        return updated ?? text;
      });
    }
  }
  if (tree.exists(deploy.DEPLOY_TEST_SERVICES_FILE)) edit(deploy.DEPLOY_TEST_SERVICES_FILE, (text) => deploy.addDeployTestService(text, names));

  // The public edge: forwarding, the one document, local-infra, compose and the chart.
  if (api) {
    const behindTheEdge = { name: names.name, camel: names.camel, port, api };
    /** @type {[string, (text: string, service: edge.EdgeService) => string][]} */
    const edits = [
      [edge.OPENAPI_DOCUMENT_FILE, edge.addToOpenApiDocument],
      [edge.PUBLIC_EDGE_FILE, edge.addUpstreamRoute],
      [edge.EDGE_HTTP_FILE, edge.addUpstreamSetting],
      [edge.EDGE_ENV_FILE, edge.addEdgeEnvSetting],
      [edge.PIPELINE_FILE, edge.addPipelineService],
      [deploy.COMPOSE_FILE, edge.addComposeUpstream],
      [edge.CONFIGMAP_FILE, edge.addConfigMapUpstream],
      [edge.NETWORK_POLICY_FILE, edge.addBehindTheEdgePolicy],
      [edge.DEPLOYMENT_FILE, edge.addApiKeysService],
    ];
    for (const [file, change] of edits) {
      if (tree.exists(file)) edit(file, (text) => change(text, behindTheEdge));
      else context.logger.warn(`${file} is not there: register ${names.name}'s ${api.route} there by hand (see docs/adding-a-service.md).`);
    }
  }
}

/** @param {ReturnType<typeof planService>} plan */
function nextSteps(plan) {
  const { names } = plan;
  return [
    `service-app ${names.name}: consumes ${plan.consumed.map((c) => c.type).join(', ')}; ` +
      (plan.emitted.length > 0 ? `emits ${plan.emitted.map((e) => e.type).join(', ')} on ${names.stream}` : 'emits nothing (no stream of its own)') +
      `; health on port ${plan.port}` +
      (plan.api ? `; serves ${plan.api.route} (orders:read), forwarded by orders-api through ${plan.api.urlVariable}.` : '.'),
    'Next:',
    `  npm run build && npm run test:unit -- apps/${names.name}    # client, compile, unit test`,
    `  npm run test:integration -- test/integration/${names.name}-service.int-spec.ts`,
    plan.emitted.length > 0
      ? `  then give ${contracts.EVENTS_DIR}/${names.name}.ts real payloads, ${names.aggregate.className} real columns (and a migration),`
      : `  then give ${names.aggregate.className} real columns (and a migration),`,
    `  and apps/${names.name}/src/${names.useCase.folder}/${names.useCase.folder}.service.ts the real logic.`,
  ].join('\n');
}
