import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * What the project's command-line tools (demo, bench) share: option parsing
 * and its errors, the integer check, the parse-or-exit step and the
 * elapsed-time prefix of their progress lines.
 */

const EXIT_USAGE = 2;

/** A command line the tool cannot run with; the message says what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options only (no positionals), unknown ones refused: Node's parseArgs, its errors as UsageError. */
export function parseOptions<O extends OptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function integer(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

/** Parses argv with `parse`; prints the usage and exits on --help (0) or a UsageError (2). */
export function parseOrExit<T>(parse: (argv: readonly string[]) => T | 'help', usage: string): T {
  try {
    const parsed = parse(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(usage);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    process.exit(EXIT_USAGE);
  }
}

/** `[  12.3s]`: seconds since `startedAt`, so slow steps are plain to see. */
export function elapsedPrefix(startedAt: number): string {
  return `[${`${((Date.now() - startedAt) / 1_000).toFixed(1)}s`.padStart(6)}]`;
}
