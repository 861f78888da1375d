import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { elapsedPrefix, integer, parseOptions, parseOrExit, UsageError } from '../../cli/src/command-line.js';
import { failedChecksIn } from './failed-checks.js';

/**
 * `npm run demo:soak -- --runs N`: runs the failure demo N times in a row and
 * reports how many passed and, for each run that failed, which checks failed.
 * A flaky failure mode shows as a pass rate below 100 %, with its checks.
 * Each run is the demo as a user starts it (its own NATS, PostgreSQL and
 * services), one after another so they do not compete for the machine.
 */

/** The failure demo of the README: duplicates, a SIGKILL, gateway errors and poison. */
const FAILURE_DEMO = ['--orders=40', '--duplicate-every=5', '--kill-worker=payments', '--payment-failure-rate=0.3', '--poison-every=10'];

const USAGE = `npm run demo:soak -- [--runs N] [--log-dir DIR] [-- demo flags]

Runs the failure demo N times (default 10) and reports passes and failures
with the failing checks. Demo flags after \`--\` replace the default mix:
${FAILURE_DEMO.join(' ')}
Each run's output is kept in --log-dir (default demo-soak-logs, git-ignored).
`;

interface SoakArgs {
  runs: number;
  logDir: string;
  demoArgs: string[];
}

function parseSoakArgs(argv: readonly string[]): SoakArgs | 'help' {
  const split = argv.indexOf('--');
  const own = split >= 0 ? argv.slice(0, split) : argv;
  const demoArgs = split >= 0 ? argv.slice(split + 1) : FAILURE_DEMO;
  const values = parseOptions(own, { runs: { type: 'string' }, 'log-dir': { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) return 'help';
  if (demoArgs.length === 0) throw new UsageError('no demo flags after --');
  return { runs: values.runs === undefined ? 10 : integer('--runs', values.runs, 1), logDir: values['log-dir'] ?? 'demo-soak-logs', demoArgs };
}

interface RunResult {
  run: number;
  passed: boolean;
  exitCode: number | null;
  seconds: number;
  /** The demo's FAIL lines, with the problems printed under each. */
  failedChecks: string[];
}

/** One demo run as a child process; its output goes to its log file, its verdict is read from it. */
function runDemo(run: number, args: SoakArgs): Promise<RunResult> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/tools/demo/src/main.js', ...args.demoArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (exitCode) => {
      writeFileSync(join(args.logDir, `run-${String(run).padStart(3, '0')}.log`), output);
      resolve({ run, passed: exitCode === 0, exitCode, seconds: (Date.now() - startedAt) / 1_000, failedChecks: failedChecksIn(output) });
    });
  });
}

async function main(): Promise<number> {
  const args = parseOrExit(parseSoakArgs, USAGE);
  mkdirSync(args.logDir, { recursive: true });
  const startedAt = Date.now();
  const log = (line: string) => process.stdout.write(`${elapsedPrefix(startedAt)} ${line}\n`);
  log(`demo soak: ${args.runs} runs of npm run demo -- ${args.demoArgs.join(' ')}`);
  const results: RunResult[] = [];
  for (let run = 1; run <= args.runs; run++) {
    const result = await runDemo(run, args);
    results.push(result);
    log(`run ${run}/${args.runs}: ${result.passed ? 'PASS' : `FAIL (exit ${result.exitCode})`} in ${result.seconds.toFixed(1)} s${result.failedChecks.length ? `: ${result.failedChecks.map((c) => c.split('\n')[0]).join('; ')}` : ''}`);
  }
  const passed = results.filter((r) => r.passed).length;
  log('');
  log(`${passed} of ${args.runs} runs passed (${((100 * passed) / args.runs).toFixed(0)} %); logs in ${args.logDir}/`);
  for (const result of results.filter((r) => !r.passed)) {
    log(`run ${result.run} failed (exit ${result.exitCode}):`);
    for (const check of result.failedChecks) log(`  ${check.replaceAll('\n', '\n  ')}`);
  }
  return passed === args.runs ? 0 : 1;
}

process.exitCode = await main();
