import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { SERVICE_HEAP_FLAGS, SERVICE_MEMORY_ENV } from '../../tools/local-infra/src/service-memory.js';
import { defaultPort, serviceNames } from './support/app-env.js';
import { buildContext, copies, dockerfileInstructions, type Copy } from './support/build-context.js';
import { repoPath, repoRoot } from './support/paths.js';

const run = promisify(execFile);

const instructions = dockerfileInstructions();
const allCopies = copies(instructions);
const context = buildContext();
const packageJson = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  imports: Record<string, { source: string; default: string }>;
  scripts: Record<string, string>;
};

const stages = [...new Set(instructions.map((instruction) => instruction.stage))];
const finalStage = stages.at(-1)!;
const inStage = (stage: string, keyword: string) =>
  instructions.filter((instruction) => instruction.stage === stage && instruction.keyword === keyword);

function inContext(source: string): boolean {
  const normalized = source.replace(/^\.\//, '').replace(/\/+$/, '');
  return context.has(normalized) || [...context].some((file) => file.startsWith(`${normalized}/`));
}

/**
 * TypeScript sources the build stage compiles (tsconfig.build.json leaves
 * tests out, and the console, which Vite bundles on its own).
 */
const compiledSources = [...context].filter(
  (file) =>
    /^(apps|libs|tools\/contracts|tools\/openapi)\/.*\.ts$/.test(file) &&
    !file.startsWith('apps/console/') &&
    !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file),
);

/** What of it runs in the final stage: tools/openapi only writes the public API's document during the build. */
const runtimeSources = compiledSources.filter((file) => !file.startsWith('tools/openapi/'));

/** Module specifiers a file imports at run time (type-only imports are erased by tsc). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(repoPath(file), 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)) {
    if (!match[2]) specifiers.push(match[3]!);
  }
  for (const match of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specifiers.push(match[1]!);
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1]!);
  return specifiers;
}

const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

describe('the image build context (.dockerignore)', () => {
  it.each(allCopies.filter((copy) => !copy.from).flatMap((copy: Copy) => copy.sources))(
    'contains %s, which the Dockerfile copies',
    (source) => {
      expect(inContext(source)).toBe(true);
    },
  );

  it('leaves out dependencies, build output, generated code, tests, secrets and history', () => {
    const leaked = [...context].filter((file) =>
      /(^|\/)(node_modules|dist|\.git|coverage|\.local)\//.test(file) ||
      file.startsWith('libs/database/src/generated/') ||
      file.startsWith('test/') ||
      /(^|\/)\.env$/.test(file) ||
      /\.(spec|int-spec|e2e-spec)\.ts$/.test(file),
    );
    expect(leaked).toEqual([]);
  });

  it('holds every file the compiled sources import, so that tsc in the build stage finds them', () => {
    const missing: string[] = [];
    for (const file of compiledSources) {
      for (const specifier of runtimeImports(file)) {
        let target: string | undefined;
        if (specifier.startsWith('.')) {
          target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
        } else if (specifier.startsWith('#')) {
          const mapped = packageJson.imports[specifier];
          if (!mapped) {
            missing.push(`${file}: ${specifier} is not in package.json imports`);
            continue;
          }
          target = mapped.source.replace(/^\.\//, '');
        }
        // The Prisma client is generated in the build stage from prisma/.
        if (!target || target.startsWith('libs/database/src/generated/')) continue;
        if (!context.has(target) && !context.has(target.replace(/\.ts$/, '/index.ts'))) missing.push(`${file}: ${specifier}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('needs only production dependencies at run time (the final stage has no dev dependencies)', () => {
    const needed = new Set<string>();
    for (const file of runtimeSources) {
      for (const specifier of runtimeImports(file)) {
        if (specifier.startsWith('.') || specifier.startsWith('#') || specifier.startsWith('node:')) continue;
        if (file.startsWith('libs/database/src/generated/')) continue;
        needed.add(packageName(specifier));
      }
    }
    // prisma.config.ts is loaded by `prisma migrate deploy` in the migration job.
    for (const specifier of runtimeImports('prisma.config.ts')) {
      if (!specifier.startsWith('node:')) needed.add(packageName(specifier));
    }
    expect(needed.size).toBeGreaterThan(5);
    expect([...needed].filter((name) => !(name in packageJson.dependencies)).sort()).toEqual([]);
    expect(packageJson.dependencies).toHaveProperty('prisma');
  });
});

describe('the Dockerfile', () => {
  it('builds in stages and runs from a pinned slim Node 20+ base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(repoPath('Dockerfile'), 'utf8'))?.[1];
    expect(base).toMatch(/^node:(\d+)\.\d+\.\d+-[a-z]+-slim(@sha256:[a-f0-9]{64})?$/);
    expect(Number(/^node:(\d+)/.exec(base!)![1])).toBeGreaterThanOrEqual(20);
    for (const from of instructions.filter((instruction) => instruction.keyword === 'FROM')) {
      expect(from.args).toMatch(/^(\$\{NODE_IMAGE\}|base)(\s|$)/);
    }
  });

  it('generates the Prisma client and compiles in the build stage', () => {
    const buildRuns = inStage('build', 'RUN').map((instruction) => instruction.args);
    expect(buildRuns).toContain('npm run build');
    expect(packageJson.scripts['build']).toMatch(/prisma generate|prisma:generate/);
  });

  it('copies node_modules into the final stage only from a stage that omitted dev dependencies', () => {
    const modules = allCopies.filter((copy) => copy.stage === finalStage && copy.sources.some((s) => s.includes('node_modules')));
    expect(modules).toHaveLength(1);
    const installs = inStage(modules[0]!.from!, 'RUN').map((instruction) => instruction.args);
    expect(installs.some((command) => /npm (install|ci)\b.*--omit=dev/.test(command))).toBe(true);
    expect(allCopies.filter((copy) => copy.stage === finalStage && copy.from === 'build').map((copy) => copy.sources)).toEqual([
      ['/app/dist/apps'],
      ['/app/dist/libs'],
      ['/app/dist/tools/contracts'],
      // Static files orders-api serves, written by the build: the public API's document and the console's bundle.
      ['/app/dist/openapi'],
      ['/app/dist/console'],
    ]);
  });

  it('carries the migrations and what `prisma migrate deploy` needs', () => {
    const finalSources = allCopies.filter((copy) => copy.stage === finalStage && !copy.from).flatMap((copy) => copy.sources);
    expect(finalSources).toEqual(expect.arrayContaining(['package.json', 'prisma.config.ts', 'prisma']));
    expect(existsSync(repoPath('prisma/migrations/migration_lock.toml'))).toBe(true);
    for (const dependency of ['prisma', '@prisma/adapter-pg', 'pg']) expect(packageJson.dependencies).toHaveProperty(dependency);
  });

  it('runs as a non-root user given by number, and exposes the services’ ports', () => {
    const user = inStage(finalStage, 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    const exposed = inStage(finalStage, 'EXPOSE').flatMap((instruction) => instruction.args.split(/\s+/)).map(Number);
    expect(exposed.sort()).toEqual(serviceNames.map(defaultPort).sort());
    expect(inStage(finalStage, 'ENTRYPOINT')[0]?.args).toBe('["order-pipeline"]');
  });
});

describe('the entry point (deploy/docker/entrypoint.sh)', () => {
  let fakeHome: string;
  beforeAll(() => {
    // A stand-in `node` that prints its working directory and arguments, then its NODE_OPTIONS and MALLOC_ARENA_MAX.
    fakeHome = mkdtempSync(path.join(tmpdir(), 'entrypoint-'));
    writeFileSync(path.join(fakeHome, 'node'), '#!/bin/sh\necho "$(pwd) node $*"\necho "${NODE_OPTIONS:-}"\necho "${MALLOC_ARENA_MAX:-}"\n');
    chmodSync(path.join(fakeHome, 'node'), 0o755);
  });
  afterAll(() => rmSync(fakeHome, { recursive: true, force: true }));

  /** The command line the entry point ran, and the memory settings it ran it with. */
  async function runEntrypoint(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ command: string; nodeOptions: string; mallocArenaMax: string }> {
    const { stdout } = await run('sh', [path.join(repoRoot, 'deploy/docker/entrypoint.sh'), ...args], {
      env: { PATH: `${fakeHome}:/usr/bin:/bin`, APP_HOME: fakeHome, ...env },
    });
    const [command = '', nodeOptions = '', mallocArenaMax = ''] = stdout.split('\n');
    return { command: command.replace(fakeHome, '<app>'), nodeOptions, mallocArenaMax };
  }

  async function entrypoint(...args: string[]): Promise<string> {
    return (await runEntrypoint(args)).command;
  }

  it.each(serviceNames)('runs %s with the memory settings the bench measured (service-memory.ts)', async (service) => {
    const { nodeOptions, mallocArenaMax } = await runEntrypoint([service]);
    expect(nodeOptions).toBe(SERVICE_HEAP_FLAGS.join(' '));
    expect({ MALLOC_ARENA_MAX: mallocArenaMax }).toEqual(SERVICE_MEMORY_ENV);
  });

  it("lets the deployment's own settings override them", async () => {
    const { nodeOptions, mallocArenaMax } = await runEntrypoint(['payments'], { NODE_OPTIONS: '--max-old-space-size=1024', MALLOC_ARENA_MAX: '4' });
    expect(nodeOptions).toBe(`${SERVICE_HEAP_FLAGS.join(' ')} --max-old-space-size=1024`);
    expect(mallocArenaMax).toBe('4');
  });

  it('leaves the migration job at the defaults', async () => {
    expect(await runEntrypoint(['migrate'])).toMatchObject({ nodeOptions: '', mallocArenaMax: '' });
  });

  it.each(serviceNames)('starts %s from its compiled main', async (service) => {
    expect(await entrypoint(service)).toBe(`<app> node dist/apps/${service}/src/main.js`);
    expect(existsSync(repoPath(`apps/${service}/src/main.ts`))).toBe(true);
  });

  it('prints the NATS users with the generator compiled from tools/contracts', async () => {
    expect(await entrypoint('nats-config', '--out', '/nats-auth/authorization.conf')).toBe(
      '<app> node dist/tools/contracts/src/print-nats-config.js --out /nats-auth/authorization.conf',
    );
    expect(existsSync(repoPath('tools/contracts/src/print-nats-config.ts'))).toBe(true);
    expect(packageJson.scripts['nats:config']).toContain('dist/tools/contracts/src/print-nats-config.js');
  });

  it('starts orders-api when given nothing', async () => {
    expect(await entrypoint()).toBe('<app> node dist/apps/orders-api/src/main.js');
  });

  it('runs prisma migrate deploy from the Prisma CLI package, without npm', async () => {
    expect(await entrypoint('migrate')).toBe('<app> node node_modules/prisma/build/index.js migrate deploy');
    const prisma = JSON.parse(readFileSync(repoPath('node_modules/prisma/package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(prisma.bin['prisma']).toBe('build/index.js');
  });

  it('runs any other command as it is', async () => {
    expect(await entrypoint('node', '-e', '1')).toBe('<app> node -e 1');
  });
});
