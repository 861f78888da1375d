#!/usr/bin/env node
// @ts-check
/**
 * `npm run generate:service-app -- <name> --consumes <subject>[,...] [--emits <type>[,...]] [--http] [--dry-run]`
 *
 * The service-app schematic with its options as flags, for scripts and CI.
 * `npx nest generate service-app <name>` runs the same schematic, but Nest 12's
 * CLI passes on only its own options (it rejects `--consumes`), so there it asks
 * for them in a terminal instead. This runs the Angular DevKit schematics CLI
 * that `nest generate` itself spawns, with the repository's collection, and
 * exits non-zero when the schematic fails (`nest generate` prints the error
 * but exits 0).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const COLLECTION = '@order-pipeline/schematics';
const OWN_OPTIONS = ['name', 'consumes', 'emits', 'aggregate', 'port', 'http'];

const require = createRequire(import.meta.url);

function help() {
  const schema = JSON.parse(readFileSync(new URL('../service-app/schema.json', import.meta.url), 'utf8'));
  const wrap = (text, indent) =>
    text
      .split(' ')
      .reduce((lines, word) => {
        const last = lines.at(-1);
        if (last.length + word.length + 1 > 100 - indent) lines.push(word);
        else lines[lines.length - 1] = last ? `${last} ${word}` : word;
        return lines;
      }, [''])
      .join(`\n${' '.repeat(indent)}`);
  const flag = { name: '<name>', consumes: '--consumes <subject,...>', emits: '--emits <type,...>', aggregate: '--aggregate <Name>', port: '--port <n>', http: '--http' };
  return [
    'Usage: npm run generate:service-app -- <name> --consumes <subject>[,<subject>] [--emits <type>[,<type>]] [--http] [options]',
    '       npx nest generate service-app <name>      (asks for --consumes and --emits in a terminal)',
    '',
    wrap(schema.description, 0),
    '',
    ...OWN_OPTIONS.map((option) => `  ${flag[option].padEnd(26)}${wrap(schema.properties[option].description, 28)}`),
    `  ${'--dry-run, -d'.padEnd(26)}Report what would be created and changed; write nothing.`,
    `  ${'--help, -h'.padEnd(26)}This text.`,
  ].join('\n');
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      consumes: { type: 'string', multiple: true },
      emits: { type: 'string', multiple: true },
      aggregate: { type: 'string' },
      port: { type: 'string' },
      http: { type: 'boolean' },
      'dry-run': { type: 'boolean', short: 'd' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  console.error(`${/** @type {Error} */ (error).message}. See --help.`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(help());
  process.exit(0);
}
if (positionals.length > 1) {
  console.error(`One service name, please (got ${positionals.join(' ')}). See --help.`);
  process.exit(2);
}

const args = [require.resolve('@angular-devkit/schematics-cli/bin/schematics.js'), `${COLLECTION}:service-app`];
if (positionals[0]) args.push(`--name=${positionals[0]}`);
if (values.consumes) args.push(`--consumes=${values.consumes.join(',')}`);
if (values.emits) args.push(`--emits=${values.emits.join(',')}`);
if (values.aggregate) args.push(`--aggregate=${values.aggregate}`);
if (values.port) args.push(`--port=${values.port}`);
// Given or not, never asked: a script's run is the same in a terminal and in CI.
args.push(`--http=${values.http === true}`);
if (values['dry-run']) args.push('--dry-run');

const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
