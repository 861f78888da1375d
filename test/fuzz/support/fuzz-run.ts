import { randomInt } from 'node:crypto';
import fc from 'fast-check';

/**
 * How a fuzz run is seeded and sized, and how a property is run against a
 * live pipeline. Read from the environment, so that a failure seen anywhere
 * (CI included) can be replayed to the case:
 *
 * - `FUZZ_SEED`: the seed of every property in the run. Without it each run
 *   takes a fresh one, and prints it.
 * - `FUZZ_RUNS`: cases per property, instead of each property's default (to
 *   scale a run up, or down while debugging).
 * - `FUZZ_PATH`: with FUZZ_SEED, start at the case of this fast-check path
 *   (the `path` of a failure report, e.g. `137`) and run only that one,
 *   unless FUZZ_RUNS asks for more (fast-check runs on from the path).
 */
export interface FuzzSettings {
  seed: number;
  runs: number;
  path?: string;
}

export function fuzzSettings(defaultRuns: number): FuzzSettings {
  const seed = integerFromEnv('FUZZ_SEED') ?? randomInt(2 ** 31 - 1);
  const path = process.env['FUZZ_PATH']?.trim() || undefined;
  if (path && process.env['FUZZ_SEED'] === undefined) throw new Error('FUZZ_PATH replays a case of one seed: set FUZZ_SEED too');
  const runs = integerFromEnv('FUZZ_RUNS') ?? (path ? 1 : defaultRuns);
  if (runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${runs}`);
  return { seed, runs, ...(path ? { path } : {}) };
}

/** The index of the first case a run generates: 0, or the run index of FUZZ_PATH. */
export function firstCaseIndex(settings: FuzzSettings): number {
  return settings.path ? Number(settings.path.split(':')[0]) : 0;
}

/**
 * The command that runs `file` (a fuzz spec's name, e.g. `messages`) with
 * this seed again: the whole run, or only the case at `path`.
 */
export function replayCommand(file: string, seed: number, what: { runs: number } | { path: string }): string {
  const how = 'path' in what ? `FUZZ_PATH=${what.path}` : `FUZZ_RUNS=${what.runs}`;
  return `FUZZ_SEED=${seed} ${how} npm run test:fuzz -- ${file}`;
}

/**
 * Runs an asynchronous property of the spec `file` under `settings` and
 * prints one line with its seed, passed or failed. A failure throws fast-check's own report (seed,
 * path, counterexample) headed by the command that replays it.
 *
 * No shrinking by default (`endOnFailure`): every case runs against the one
 * live pipeline, whose state moves on with each case, so a shrunk case would
 * not replay the failure any better than the first failing one, which the
 * path names exactly.
 */
export async function checkProperty<T>(
  file: string,
  property: fc.IAsyncProperty<T>,
  settings: FuzzSettings,
  { shrink = false }: { shrink?: boolean } = {},
): Promise<fc.RunDetails<T>> {
  const started = performance.now();
  const details = await fc.check(property, {
    seed: settings.seed,
    numRuns: settings.runs,
    ...(settings.path ? { path: settings.path } : {}),
    endOnFailure: !shrink,
  });
  const seconds = ((performance.now() - started) / 1_000).toFixed(1);
  if (!details.failed) {
    report(`${file}: ${details.numRuns} case${details.numRuns === 1 ? '' : 's'} passed in ${seconds} s, seed ${details.seed} (replay: ${replayCommand(file, details.seed, { runs: details.numRuns })})`);
    return details;
  }
  const path = details.counterexamplePath;
  const replay = replayCommand(file, details.seed, path ? { path } : { runs: settings.runs });
  const headline = `${file}: FAILED after ${details.numRuns} cases in ${seconds} s, seed ${details.seed}${path ? `, path ${path}` : ''} (replay: ${replay})`;
  report(headline);
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`${headline}\n${fc.defaultReportMessage(details)}\n\nThe case failed with:\n${cause}`, { cause: details.errorInstance });
}

/** One line on the terminal, past Jest's console capture (which would add a stack location to it). */
export function report(line: string): void {
  process.stdout.write(`[fuzz] ${line}\n`);
}

function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}
