import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository under test (this file is test/scaffolding/support/scratch-repo.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ScratchRepo {
  readonly dir: string;
  /** Deletes the copy (node_modules is only links into the repository's). */
  remove(): void;
}

/**
 * A copy of the repository's working tree in a temporary directory: every
 * file git tracks or would track (committed or not, so uncommitted work is
 * tested too), without build output or ignored files. node_modules is a
 * directory of links to the repository's packages, so nothing is installed
 * and a run in the copy (a build, say) writes nothing into the
 * original; the repository's own link to schematics/ is re-made to point at
 * the copy's.
 */
export function copyRepository(): ScratchRepo {
  const dir = mkdtempSync(path.join(tmpdir(), 'scaffold-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && !file.startsWith('dist/') && !file.startsWith('node_modules/'));
  for (const file of files) {
    const source = path.join(repoRoot, file);
    // Listed by git but deleted in the working tree.
    if (!existsSync(source) || !statSync(source).isFile()) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(source, path.join(dir, file));
  }
  linkNodeModules(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

function linkNodeModules(dir: string): void {
  const source = path.join(repoRoot, 'node_modules');
  const target = path.join(dir, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    // Caches and npm's own bookkeeping stay behind; .bin is needed for the CLIs.
    if (entry.startsWith('.') && entry !== '.bin') continue;
    if (entry === '@order-pipeline') continue;
    symlinkSync(path.join(source, entry), path.join(target, entry));
  }
  mkdirSync(path.join(target, '@order-pipeline'));
  symlinkSync('../../schematics', path.join(target, '@order-pipeline', 'schematics'));
}

/**
 * A fingerprint of every file of the copy except dependencies and build
 * output: equal fingerprints mean nothing was written.
 */
export function snapshot(dir: string): Map<string, string> {
  const result = new Map<string, string>();
  const skip = new Set(['node_modules', 'dist']);
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const file = path.join(relative, entry.name);
      if (skip.has(file) || file === path.join('libs', 'database', 'src', 'generated')) continue;
      if (entry.isDirectory()) walk(file);
      else result.set(file, createHash('sha1').update(readFileSync(path.join(dir, file))).digest('hex'));
    }
  };
  walk('');
  return result;
}

/** Files added, removed or changed between two snapshots. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

export interface RunResult {
  code: number;
  /** stdout then stderr, without colours. */
  output: string;
}

const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;

/** Runs a command to completion; never rejects on a non-zero exit (the caller checks `code`). */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 170_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`.replace(ANSI_ESCAPES, '') });
      },
    );
  });
}
