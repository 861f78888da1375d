import { elapsedPrefix, parseOrExit } from '../../cli/src/command-line.js';
import { USAGE, parseDemoArgs } from './args.js';
import { consoleLines } from './console-urls.js';
import { runDemo, type DemoRun } from './run-demo.js';

/**
 * `npm run demo`: the whole pipeline on this machine, with duplicates injected
 * on purpose, and a verdict. Exit code 0 only if every check passed, so the
 * demo doubles as a smoke test in CI.
 */

const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;

const startedAt = Date.now();
/** Every line carries the seconds since start, so slow steps are plain to see. */
const log = (line: string): void => {
  process.stdout.write(line === '' ? '\n' : line.includes('\n') ? `${line}\n` : `${elapsedPrefix(startedAt)} ${line}\n`);
};

async function main(): Promise<number> {
  const args = parseOrExit(parseDemoArgs, USAGE);
  log(
    `Order pipeline demo: ${args.orders} orders, ` +
      `${args.duplicateEvery ? `duplicates for 1 in every ${args.duplicateEvery} orders` : 'no duplicates'}, ` +
      `${args.outOfStockEvery ? `1 in every ${args.outOfStockEvery} orders short of stock on purpose` : 'no order short of stock on purpose'}, ` +
      `payment success rate ${args.successRate}, seed "${args.seed}"`,
  );
  const faults = [
    ...(args.killWorker ? [`SIGKILL ${args.killWorker} after order ${Math.ceil(args.orders / 2)} and restart it`] : []),
    ...(args.paymentFailureRate > 0 ? [`gateway errors on ${Number((args.paymentFailureRate * 100).toFixed(1))}% of charge attempts`] : []),
    ...(args.poisonEvery > 0 ? [`a poison message after every ${args.poisonEvery}th order`] : []),
  ];
  if (faults.length > 0) log(`Failure injection: ${faults.join('; ')}`);

  const run: DemoRun = {};
  // Ctrl-C: stop what was started before leaving, instead of leaving it to the
  // exit hooks' SIGKILL (which would skip the services' graceful shutdown).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping everything...`);
      void (run.pipeline?.stop() ?? Promise.resolve()).finally(() => process.exit(EXIT_INTERRUPTED));
    });
  }

  let processed = 0;
  let passed = false;
  try {
    const outcome = await runDemo(args, log, run);
    processed = outcome.processed;
    passed = outcome.passed;
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Unprefixed: scripts and CI look for this exact line.
  process.stdout.write(`Orders processed: ${processed} (expected ${args.orders})\n`);
  process.stdout.write(passed ? 'All checks passed.\n' : 'Some checks FAILED (see above).\n');
  if (run.keepRunning && run.pipeline) {
    for (const line of consoleLines(run.pipeline)) process.stdout.write(`${line}\n`);
    // Until Ctrl-C: the signal handler above stops the stack and exits.
    await new Promise<never>(() => {});
  }
  return passed ? 0 : EXIT_FAILED;
}

// An explicit exit: an open keep-alive socket must not keep a finished demo alive.
process.exit(await main());
