import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './paths.js';

interface DockerIgnore {
  add(patterns: string[]): DockerIgnore;
  ignores(path: string): boolean;
}
// CommonJS (`module.exports = factory`) with typings that declare an ES
// default export, which TypeScript's nodenext reading and the runtime
// disagree on: loaded with require, typed here.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => DockerIgnore;

/**
 * The files `docker build .` sends as its context: every file under the
 * repository root that .dockerignore does not exclude, with Docker's own
 * matching rules (@balena/dockerignore is a port of Docker's implementation).
 */
export function buildContext(root = repoRoot): Set<string> {
  const lines = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const rules = ignore().add(lines);
  const exceptions = lines.filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/+$/, ''));
  // A directory can be skipped when it is excluded and no exception could
  // bring back anything below it (node_modules, .git: thousands of files).
  const canSkip = (dir: string) =>
    rules.ignores(dir) && !exceptions.some((exception) => exception.startsWith('*') || exception.startsWith(`${dir}/`));

  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!canSkip(relative)) walk(relative);
      } else if (!rules.ignores(relative)) {
        files.add(relative);
      }
    }
  };
  walk('');
  return files;
}

export interface Instruction {
  keyword: string;
  args: string;
  stage: string;
}

/** The Dockerfile's instructions, continuation lines joined, with the stage each belongs to. */
export function dockerfileInstructions(root = repoRoot): Instruction[] {
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line) && current === '') continue;
    if (/^\s*#/.test(line)) continue; // comment inside a continued instruction
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  const instructions: Instruction[] = [];
  let stage = '';
  let index = 0;
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(index++);
    instructions.push({ keyword: upper, args, stage });
  }
  return instructions;
}

export interface Copy {
  stage: string;
  from?: string;
  sources: string[];
  destination: string;
  flags: Record<string, string>;
}

export function copies(instructions: Instruction[]): Copy[] {
  return instructions
    .filter((instruction) => instruction.keyword === 'COPY')
    .map((instruction) => {
      const words = instruction.args.split(/\s+/);
      const flags: Record<string, string> = {};
      while (words[0]?.startsWith('--')) {
        const [name, value = ''] = words.shift()!.slice(2).split('=');
        flags[name!] = value;
      }
      const destination = words.pop()!;
      return { stage: instruction.stage, from: flags['from'], sources: words, destination, flags };
    });
}
