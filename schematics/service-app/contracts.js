// @ts-check
/**
 * Reading and editing libs/contracts as text. The schematic cannot load the
 * TypeScript contracts (no TypeScript at generation time), so it reads what it
 * needs with patterns that match how the files are written, and every edit
 * names the anchor it could not find instead of guessing.
 */
import { SchematicsException } from '@angular-devkit/schematics';

export const CONTRACTS_DIR = 'libs/contracts/src';
export const EVENTS_DIR = `${CONTRACTS_DIR}/events`;
export const CONSUMERS_FILE = `${CONTRACTS_DIR}/consumers.ts`;
export const SERVICES_FILE = `${CONTRACTS_DIR}/services.ts`;
export const STREAMS_FILE = `${CONTRACTS_DIR}/streams.ts`;
export const REGISTRY_FILE = `${CONTRACTS_DIR}/registry.ts`;
export const INDEX_FILE = `${CONTRACTS_DIR}/index.ts`;
export const DEAD_LETTERS_FILE = `${CONTRACTS_DIR}/dead-letters.ts`;

/**
 * @typedef {object} KnownEvent
 * @property {string} constName  the export, e.g. PaymentSucceeded
 * @property {string} type       its type, which is also its subject
 * @property {string} stream
 * @property {string} file       the events file, e.g. payments (for imports)
 * @property {boolean} hasOrderId
 */

/**
 * Every `export const X = defineEvent({ type: '...', ..., stream: '...' })` in libs/contracts/src/events.
 * @param {import('@angular-devkit/schematics').Tree} tree
 * @returns {KnownEvent[]}
 */
export function readEvents(tree) {
  const dir = tree.getDir(EVENTS_DIR);
  /** @type {KnownEvent[]} */
  const events = [];
  for (const fileName of dir.subfiles) {
    if (!fileName.endsWith('.ts') || fileName.endsWith('.spec.ts')) continue;
    const text = readText(tree, `${EVENTS_DIR}/${fileName}`);
    const declaration = /export const (\w+) = defineEvent\(\{([\s\S]*?)\n\}\);/g;
    for (const match of text.matchAll(declaration)) {
      const body = match[2];
      const type = /^\s*type: '([^']+)'/m.exec(body)?.[1];
      const stream = /^\s*stream: '([^']+)'/m.exec(body)?.[1];
      if (!type || !stream) continue;
      events.push({ constName: match[1], type, stream, file: fileName.replace(/\.ts$/, ''), hasOrderId: /\borderId\b/.test(body) });
    }
  }
  return events;
}

/**
 * The streams declared in `Streams`: name and subjects.
 * @param {string} text streams.ts
 * @returns {{ name: string, subjects: string[] }[]}
 */
export function readStreams(text) {
  const body = objectBody(text, 'export const Streams = {', STREAMS_FILE);
  return [...body.matchAll(/(\w+): \{\s*name: '([^']+)',\s*subjects: \[([^\]]*)\]/g)].map((match) => ({
    name: match[2],
    subjects: [...match[3].matchAll(/'([^']+)'/g)].map((subject) => subject[1]),
  }));
}

/**
 * Streams declared outside `Streams` (the dead-letter streams in
 * dead-letters.ts): their names and subjects are taken too.
 * @param {import('@angular-devkit/schematics').Tree} tree
 * @returns {{ name: string, subjects: string[] }[]}
 */
export function readOtherStreams(tree) {
  if (!tree.exists(DEAD_LETTERS_FILE)) return [];
  const text = readText(tree, DEAD_LETTERS_FILE);
  return [...text.matchAll(/name: '([^']+)',\s*subjects: \[([^\]]*)\]/g)].map((match) => ({
    name: match[1],
    subjects: [...match[2].matchAll(/'([^']+)'/g)].map((subject) => subject[1]),
  }));
}

/**
 * @param {string} text services.ts
 * @returns {string[]}
 */
export function readServiceNames(text) {
  const union = /export type ServiceName =([^;]*);/.exec(text);
  if (!union) throw missingAnchor(SERVICES_FILE, 'export type ServiceName = ...;');
  return [...union[1].matchAll(/'([^']+)'/g)].map((match) => match[1]);
}

/**
 * @param {string} text consumers.ts
 * @returns {string[]} the durable names
 */
export function readDurables(text) {
  return [...objectBody(text, 'export const Consumers = {', CONSUMERS_FILE).matchAll(/durable: '([^']+)'/g)].map((m) => m[1]);
}

/** Adds the service to the ServiceName union. */
export function addServiceName(text, name) {
  if (readServiceNames(text).includes(name)) return text;
  return text.replace(/export type ServiceName =([^;]*);/, (_, members) => `export type ServiceName =${members} | '${name}';`);
}

/**
 * Appends consumer definitions to `Consumers`.
 * @param {string} text
 * @param {{ key: string, durable: string, stream: string, filterSubject: string, service: string, description: string }[]} consumers
 */
export function addConsumers(text, consumers) {
  const known = new Set(readDurables(text));
  const added = consumers
    .filter((consumer) => !known.has(consumer.durable))
    .map((c) =>
      [
        `  ${c.key}: {`,
        `    durable: '${c.durable}',`,
        `    stream: '${c.stream}',`,
        `    filterSubject: '${c.filterSubject}',`,
        `    service: '${c.service}',`,
        `    description: ${quote(c.description)},`,
        `  },`,
      ].join('\n'),
    );
  return insertBeforeObjectEnd(text, 'export const Consumers = {', added.join('\n'), CONSUMERS_FILE);
}

/**
 * Appends a stream to `Streams`, owned by `service` (the one that publishes
 * its events: its NATS user's permissions follow from that).
 * @param {string} text
 * @param {{ name: string, subjects: string[], description: string, service: string }} stream
 */
export function addStream(text, stream) {
  if (readStreams(text).some((s) => s.name === stream.name)) return text;
  const subjects = stream.subjects.map((s) => `'${s}'`).join(', ');
  const entry = `  ${stream.name}: { name: '${stream.name}', subjects: [${subjects}], description: ${quote(stream.description)}, service: '${stream.service}' },`;
  return insertBeforeObjectEnd(text, 'export const Streams = {', entry, STREAMS_FILE);
}

/**
 * Imports the events file and lists its events in ALL_EVENTS.
 * @param {string} text registry.ts
 * @param {string} file events file name without extension
 * @param {string[]} constNames
 */
export function addToRegistry(text, file, constNames) {
  const importLine = `import { ${[...constNames].sort().join(', ')} } from './events/${file}.js';`;
  let result = text;
  if (!result.includes(`from './events/${file}.js'`)) {
    const imports = [...result.matchAll(/^import .* from '\.\/events\/[^']+';$/gm)];
    const last = imports.at(-1);
    if (!last || last.index === undefined) throw missingAnchor(REGISTRY_FILE, "an import from './events/...'");
    const at = last.index + last[0].length;
    result = `${result.slice(0, at)}\n${importLine}${result.slice(at)}`;
  }
  const open = 'export const ALL_EVENTS: readonly EventDefinition[] = [';
  const start = result.indexOf(open);
  if (start < 0) throw missingAnchor(REGISTRY_FILE, open);
  const end = result.indexOf('\n];', start);
  if (end < 0) throw missingAnchor(REGISTRY_FILE, `the "];" closing ALL_EVENTS`);
  const listed = result.slice(start, end);
  const missing = constNames.filter((name) => !new RegExp(`\\b${name}\\b`).test(listed));
  if (missing.length === 0) return result;
  return `${result.slice(0, end)}\n${missing.map((name) => `  ${name},`).join('\n')}${result.slice(end)}`;
}

/**
 * Re-exports the events file from the package's entry.
 * @param {string} text index.ts
 * @param {string} file
 */
export function addToIndex(text, file) {
  const line = `export * from './events/${file}.js';`;
  if (text.includes(line)) return text;
  const exports = [...text.matchAll(/^export \* from '\.\/events\/[^']+';$/gm)];
  const last = exports.at(-1);
  if (!last || last.index === undefined) throw missingAnchor(INDEX_FILE, "an `export * from './events/...'` line");
  const at = last.index + last[0].length;
  return `${text.slice(0, at)}\n${line}${text.slice(at)}`;
}

/** True when `filter` (a stream subject, may end in > or hold *) captures `subject`. */
export function subjectMatches(filter, subject) {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

/** A single-quoted TypeScript string literal. */
export function quote(text) {
  return `'${String(text).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

// ---------------------------------------------------------------------------

/**
 * @param {import('@angular-devkit/schematics').Tree} tree
 * @param {string} path
 */
export function readText(tree, path) {
  const buffer = tree.read(path);
  if (!buffer) throw new SchematicsException(`${path} is missing: service-app edits it. Is this the order-pipeline repository root?`);
  return buffer.toString('utf8');
}

function missingAnchor(file, anchor) {
  return new SchematicsException(`${file}: could not find ${anchor}, which service-app edits. Was the file restructured? Nothing was changed.`);
}

/** The text between `open` (ending in `{`) and the `}` that closes it at the start of a line. */
function objectBody(text, open, file) {
  const start = text.indexOf(open);
  if (start < 0) throw missingAnchor(file, open);
  const end = text.indexOf('\n}', start);
  if (end < 0) throw missingAnchor(file, `the "}" closing ${open}`);
  return text.slice(start + open.length, end);
}

function insertBeforeObjectEnd(text, open, entry, file) {
  if (!entry) return text;
  const start = text.indexOf(open);
  if (start < 0) throw missingAnchor(file, open);
  const end = text.indexOf('\n}', start);
  if (end < 0) throw missingAnchor(file, `the "}" closing ${open}`);
  return `${text.slice(0, end)}\n${entry}${text.slice(end)}`;
}
