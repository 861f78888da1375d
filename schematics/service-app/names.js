// @ts-check
/**
 * Every name the service-app schematic derives from the service's name, in one
 * place, with @angular-devkit/core's `strings` as Nest's own schematics use them.
 */
import { strings } from '@angular-devkit/core';

/** kebab-case, starting with a letter: also a NATS subject token and (as snake_case) a PostgreSQL identifier. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Short enough that every derived identifier (tables, indexes, durables) stays under PostgreSQL's 63 bytes. */
export const MAX_SERVICE_NAME_LENGTH = 30;
/** An event type the service emits: `<service>.<event>`, lower-case tokens, no wildcards. */
export const EVENT_TOKEN_PATTERN = /^[a-z][a-z0-9-]*$/;
export const AGGREGATE_PATTERN = /^[A-Z][A-Za-z0-9]*$/;

/**
 * @typedef {object} ServiceNames
 * @property {string} name          kebab-case: apps/<name>, ServiceName, compose service, subject prefix
 * @property {string} camel         camelCase: Helm values key, Consumers keys
 * @property {string} className     PascalCase: module, outbox and inbox models
 * @property {string} schema        snake_case: PostgreSQL schema and aggregate table
 * @property {string} stream        UPPER_SNAKE: the JetStream stream
 * @property {string} moduleClass
 * @property {string} envSchema     the env schema's export
 * @property {string} envType
 * @property {{ className: string, camel: string, kebab: string, table: string }} aggregate
 * @property {{ folder: string, className: string, camel: string }} useCase
 * @property {string} outboxModel
 * @property {string} inboxModel
 */

/**
 * Normalises what the user typed (camelCase, PascalCase, snake_case or
 * kebab-case) to kebab-case, as `nest generate` does with names.
 * @param {string} raw
 */
export function normaliseServiceName(raw) {
  return strings.dasherize(String(raw).trim());
}

/**
 * @param {string} name kebab-case (see normaliseServiceName)
 * @param {string | undefined} aggregate PascalCase override of the aggregate's name
 * @returns {ServiceNames}
 */
export function serviceNames(name, aggregate) {
  const camel = strings.camelize(name);
  const className = strings.classify(name);
  const aggregateClass = aggregate ?? strings.classify(singular(name));
  const aggregateKebab = strings.dasherize(aggregateClass);
  return {
    name,
    camel,
    className,
    schema: strings.underscore(name),
    stream: strings.underscore(name).toUpperCase(),
    moduleClass: `${className}Module`,
    envSchema: `${camel}EnvSchema`,
    envType: `${className}Env`,
    aggregate: {
      className: aggregateClass,
      camel: strings.camelize(aggregateClass),
      kebab: aggregateKebab,
      // Named after the aggregate it holds (--aggregate Reservation -> reservations), else after the service.
      table: aggregate ? plural(strings.underscore(aggregateClass)) : strings.underscore(name),
    },
    useCase: {
      folder: `update-${aggregateKebab}`,
      className: `Update${aggregateClass}Service`,
      camel: `update${aggregateClass}`,
    },
    outboxModel: `${className}OutboxEvent`,
    inboxModel: `${className}InboxEvent`,
  };
}

/**
 * The last word of a kebab-case name in the singular, by the common English
 * rules (refunds -> refund, deliveries -> delivery, batches -> batch; status
 * and inventory stay). Pass `--aggregate` when the rule guesses wrong.
 * @param {string} name
 */
export function singular(name) {
  const words = name.split('-');
  const last = words.pop() ?? '';
  let one = last;
  if (/[^aeiou]ies$/.test(last)) one = `${last.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(last)) one = last;
  else if (/(x|z|ch|sh|ss)es$/.test(last)) one = last.slice(0, -2);
  else if (/s$/.test(last)) one = last.slice(0, -1);
  return [...words, one].join('-');
}

/**
 * The plural of a snake_case or kebab-case word, by the common English rules
 * (reservation -> reservations, delivery -> deliveries, batch -> batches).
 * @param {string} word
 */
export function plural(word) {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/**
 * The contract's export for an emitted event type: the service (in the
 * singular) and the event, as the pipeline names them (payments.succeeded ->
 * PaymentSucceeded, inventory.low-stock -> InventoryLowStock). Not the
 * aggregate: a service's events are not all about it (inventory's stock
 * alerts are about products, not reservations).
 * @param {ServiceNames} names
 * @param {string} type `<name>.<event>`
 */
export function eventConstName(names, type) {
  const event = type.slice(names.name.length + 1).replaceAll('.', '-');
  return `${strings.classify(singular(names.name))}${strings.classify(event)}`;
}

/**
 * The durable consumer of a subject: `<service>--<subject, dots as dashes>`
 * (NATS names may not contain dots), e.g. shipments--payments-succeeded.
 * @param {string} service
 * @param {string} subject
 */
export function durableName(service, subject) {
  return `${service}--${subject.replaceAll('.', '-')}`;
}

/**
 * The key of a consumer in `Consumers`: shipmentsOnPaymentSucceeded.
 * @param {ServiceNames} names
 * @param {string} eventConst
 */
export function consumerKey(names, eventConst) {
  return `${names.camel}On${eventConst}`;
}

/**
 * A comma-separated option (or a repeated one) as a list of unique, trimmed values.
 * @param {unknown} value
 * @returns {string[]}
 */
export function listOption(value) {
  const parts = (Array.isArray(value) ? value : [value])
    .filter((part) => part !== undefined && part !== null && part !== true)
    .flatMap((part) => String(part).split(','))
    .map((part) => part.trim())
    .filter(Boolean);
  return [...new Set(parts)];
}

export { strings };

/**
 * @typedef {object} HttpNames
 * @property {string} plural        kebab-case plural of the aggregate: the route (/api/v1/<plural>) and its OpenAPI tag
 * @property {string} route         the public path prefix, /api/v1/<plural>, that the edge forwards
 * @property {string} folder        the HTTP feature folder, apps/<name>/src/<plural>-api
 * @property {string} moduleClass
 * @property {string} controllerClass
 * @property {string} viewsClass    the read side of the aggregate table the routes answer from
 * @property {string} viewDto
 * @property {string} pageDto
 * @property {string} publicApi     the service's PublicApi export (BEHIND_THE_EDGE lists it)
 * @property {string} configureHttp the configure function main.ts passes to runService
 * @property {string} urlVariable   orders-api's setting naming where the edge forwards <route> (LOYALTY_POINTS_URL)
 */

/**
 * The names of a `--http` service's public REST API and of its entry at the edge.
 * @param {ServiceNames} names
 * @returns {HttpNames}
 */
export function httpNames(names) {
  const plural = pluralKebab(names.aggregate.kebab);
  const pluralClass = strings.classify(plural);
  const constant = names.stream;
  return {
    plural,
    route: `/api/v1/${plural}`,
    folder: `${plural}-api`,
    moduleClass: `${pluralClass}ApiModule`,
    controllerClass: `${pluralClass}Controller`,
    viewsClass: `${names.aggregate.className}Views`,
    viewDto: `${names.aggregate.className}ViewDto`,
    pageDto: `${names.aggregate.className}PageDto`,
    publicApi: `${constant}_PUBLIC_API`,
    configureHttp: `configure${names.className}Http`,
    urlVariable: `${constant}_URL`,
  };
}

/** The plural of a kebab-case name's last word (loyalty-point -> loyalty-points). @param {string} kebab */
function pluralKebab(kebab) {
  const words = kebab.split('-');
  return [...words.slice(0, -1), plural(words.at(-1) ?? '')].join('-');
}
