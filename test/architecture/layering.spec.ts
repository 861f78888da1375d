import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The layering rules of .dependency-cruiser.cjs, run by dependency-cruiser's
 * own CLI: first on the repository (`npm run lint:layers`), which must break
 * none, then on a scratch tree that breaks each rule once, so a
 * rule that stopped matching (a renamed folder, a resolver change) fails here
 * instead of passing everything.
 */
const root = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(root, '.dependency-cruiser.cjs');
const CLI = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
// Spawning the CLI and cruising a few hundred modules takes seconds, not milliseconds.
const CRUISE_TIMEOUT_MS = 60_000;

interface CruiseResult {
  code: number;
  output: string;
}

async function run(command: string, args: string[], cwd: string): Promise<CruiseResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The CLI with the repository's rules, on a tree other than the repository. */
const cruise = (cwd: string, args: string[]) => run(process.execPath, [CLI, '--config', CONFIG, ...args], cwd);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('layering (dependency-cruiser)', () => {
  it(
    'the repository breaks no rule',
    async () => {
      // The script a developer runs: each violation with its rule's name and reason.
      const result = await run('npm', ['run', '--silent', 'lint:layers'], root);
      expect(result).toMatchObject({ code: 0 });
      expect(result.output).toMatch(/no dependency violations found \((\d{3,}) modules/);
    },
    CRUISE_TIMEOUT_MS,
  );

  describe('each rule stops a deliberate violation', () => {
    let scratch: string;
    let violations: Violation[];
    let readable: CruiseResult;

    /** One file of the scratch tree, with the imports it is given. */
    const write = (file: string, ...imports: string[]) => {
      const full = path.join(scratch, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, `${imports.map((from, i) => `import * as m${i} from '${from}';\nexport const u${i} = m${i};\n`).join('')}export {};\n`);
    };

    beforeAll(async () => {
      scratch = mkdtempSync(path.join(tmpdir(), 'layering-'));
      writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }));
      write('libs/jetstream/src/internal.ts');
      write('libs/jetstream/src/index.ts', './internal.js', '../../../apps/payments/src/leaf.js');
      write('apps/payments/src/leaf.ts');
      write('libs/contracts/src/index.ts', '../../jetstream/src/index.js');
      write('libs/messaging/src/index.ts', '../../jetstream/src/internal.js', '../../jetstream/src/index.js');
      write('apps/payments/src/main.ts', '../../shipments/src/main.js', '../../../libs/jetstream/src/internal.js', '../../../libs/jetstream/src/index.js');
      write('apps/shipments/src/main.ts', './a.js');
      write('apps/shipments/src/a.ts', './b.js');
      write('apps/shipments/src/b.ts', './a.js');
      const json = await cruise(scratch, ['--output-type', 'json', 'apps', 'libs']);
      violations = (JSON.parse(json.output) as { summary: { violations: Violation[] } }).summary.violations;
      readable = await cruise(scratch, ['--output-type', 'err-long', 'apps', 'libs']);
    }, 2 * CRUISE_TIMEOUT_MS);

    afterAll(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    const broken = (rule: string) => violations.filter((violation) => violation.rule.name === rule).map(({ from, to }) => `${from} -> ${to}`);

    it('libs/contracts imports nothing of ours', () => {
      expect(broken('contracts-import-nothing-of-ours')).toEqual(['libs/contracts/src/index.ts -> libs/jetstream/src/index.ts']);
    });

    it('no library imports an app', () => {
      expect(broken('libraries-import-no-app')).toEqual(['libs/jetstream/src/index.ts -> apps/payments/src/leaf.ts']);
    });

    it('no app imports another app', () => {
      expect(broken('apps-import-no-other-app')).toEqual(['apps/payments/src/main.ts -> apps/shipments/src/main.ts']);
    });

    it('outside a library only its public entry is imported, from apps and from other libraries', () => {
      expect(broken('libraries-only-through-their-public-entry')).toEqual(['apps/payments/src/main.ts -> libs/jetstream/src/internal.ts']);
      expect(broken('libraries-use-each-other-through-their-public-entry')).toEqual(['libs/messaging/src/index.ts -> libs/jetstream/src/internal.ts']);
    });

    it('no cycles', () => {
      // A cycle is reported once, at the module where the cruise entered it.
      expect(broken('no-cycles')).toEqual(['apps/shipments/src/a.ts -> apps/shipments/src/b.ts']);
    });

    it('fails with each broken rule named and its reason', () => {
      expect(readable.code).not.toBe(0);
      expect(readable.output).toContain('error apps-import-no-other-app: apps/payments/src/main.ts → apps/shipments/src/main.ts');
      expect(readable.output).toContain("Services talk through events on JetStream, never through each other's code");
    });
  });
});
