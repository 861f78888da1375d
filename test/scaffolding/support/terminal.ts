import { spawn } from 'node:child_process';

export interface TerminalRun {
  code: number;
  /** Everything the command printed, without terminal escape sequences. */
  output: string;
}

// Colours, cursor movement and line erasing, as prompts draw them.
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]/g;

/**
 * Runs `command` in a pseudo-terminal, as a developer would in a shell, and
 * answers its prompts: whenever the output shows a prompt (a key of
 * `answers`) that has not been answered yet, its answer and Enter are typed.
 * A pseudo-terminal because `nest generate` asks for what it cannot take as
 * flags only when it runs in a terminal. Uses util-linux `script`, present on
 * every Debian system.
 */
export function runInTerminal(
  command: string,
  options: { cwd: string; answers?: Record<string, string>; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<TerminalRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
      cwd: options.cwd,
      // NG_FORCE_TTY: the schematics CLI prompts only in a terminal, and not at all when CI is set.
      env: { ...process.env, NG_FORCE_TTY: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pending = new Map(Object.entries(options.answers ?? {}));
    let raw = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not finish within ${options.timeoutMs ?? 60_000} ms:\n${clean(raw)}`));
    }, options.timeoutMs ?? 60_000);
    const onOutput = (chunk: Buffer): void => {
      raw += chunk.toString();
      const text = clean(raw);
      for (const [prompt, answer] of pending) {
        if (!text.includes(prompt)) continue;
        pending.delete(prompt);
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run \`script\` (util-linux) for a terminal: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output: clean(raw) });
    });
  });
}

function clean(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r/g, '');
}
