import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spawning and supervising local child processes (our services, and the NATS
 * server) for the demo and the tests. Node built-ins only, so it works before
 * anything else in the repo is built.
 *
 * Two rules hold for every child started here:
 * - it never outlives this process (a leaked server holds a port and a store
 *   directory, and the next run fails in confusing ways);
 * - its output is kept in a short tail for error messages instead of being
 *   printed, so passing tests stay quiet and failing ones say why.
 */

/** Time a child gets to shut down after SIGTERM before it is SIGKILLed. */
export const SERVICE_STOP_GRACE_MS = 10_000;
/** How long `waitReady` waits by default: a cold Nest app starts in a few seconds. */
export const SERVICE_READY_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------
// Output tail

/** The last lines a child printed (stdout and stderr interleaved). */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 200) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
    // A child that never prints a newline must not grow the buffer forever.
    if (this.partial.length > 8_192) {
      this.add(this.partial);
      this.partial = '';
    }
  }

  /** A marker line of our own, e.g. "--- restarted ---". */
  note(line: string): void {
    this.add(line);
  }

  text(): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].join('\n');
  }

  private add(line: string): void {
    this.lines.push(line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}

// ---------------------------------------------------------------------------
// Reaping: nothing outlives the parent

const liveChildren = new Set<ChildProcess>();
const exitCleanups = new Set<() => void>();
let hooksInstalled = false;

/** Remember a child so that it is killed when this process ends. */
export function trackChild(child: ChildProcess): void {
  installExitHooks();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/**
 * Run `fn` synchronously when this process exits (e.g. removing a temporary
 * directory). Returns a function that unregisters it.
 */
export function onParentExit(fn: () => void): () => void {
  installExitHooks();
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' runs on normal exit, process.exit() and uncaught errors; only
  // synchronous work is possible there, which is enough to send SIGKILL.
  process.on('exit', reapNow);
  // A signal kills Node without running 'exit'. If someone else handles the
  // signal (e.g. an app's graceful shutdown), only pass SIGTERM on and let
  // them exit; otherwise reap now and re-raise it, so this process still
  // dies the way it would have without us.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) {
        for (const child of liveChildren) child.kill('SIGTERM');
        return;
      }
      reapNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function reapNow(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
  for (const fn of exitCleanups) {
    try {
      fn();
    } catch {
      // best effort: the process is going away anyway
    }
  }
  exitCleanups.clear();
}

// ---------------------------------------------------------------------------
// Small building blocks shared with nats-server.ts

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function describeExit(child: ChildProcess): string {
  return child.signalCode ? `killed by ${child.signalCode}` : `exited with code ${child.exitCode}`;
}

/** Resolves when the child has exited (at once if it already has). */
export function waitForExit(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = SERVICE_STOP_GRACE_MS): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILL: a crash, as far as the child is concerned. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const exited = waitForExit(child);
  child.kill('SIGKILL');
  await exited;
}

/**
 * True if a GET of `url` answers 200. A fresh connection per probe
 * (agent: false) so no keep-alive socket outlives the check.
 */
export function httpGetOk(url: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Poll `check` until it returns true. Fails early when `failure()` returns an
 * Error (the child died: waiting on would only hide the reason), and after
 * `timeoutMs` with `describe()` in the message.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; failure?: () => Error | undefined; describe: () => string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const failed = opts.failure?.();
    if (failed) throw failed;
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${opts.timeoutMs} ms: ${opts.describe()}`);
    await sleep(opts.intervalMs ?? 100);
  }
}

// ---------------------------------------------------------------------------
// Services

export interface ServiceOptions {
  /** Used in error messages and log markers. */
  name: string;
  command: string;
  args?: string[];
  /** Added to this process's environment (PATH etc. are inherited). */
  env?: Record<string, string | undefined>;
  /** Polled by waitReady() until it answers HTTP 200. */
  readyUrl: string;
  /** Also append the child's output to this file (kept across restarts). */
  logFile?: string;
  cwd?: string;
  /** SIGTERM-to-SIGKILL grace for stop() and restart(). */
  stopGraceMs?: number;
  /**
   * Start the child again when it exits on its own (a crash, an exit code,
   * a signal from elsewhere), as a supervisor (systemd, Kubernetes) would.
   * Exits caused through this handle (stop, kill, restart) are left alone.
   * Default false.
   */
  autoRestart?: boolean;
  /**
   * Applied over `env` when autoRestart starts the child again (e.g. to switch
   * off the fault that made it crash, so it crashes once and not in a loop).
   */
  autoRestartEnv?: Record<string, string | undefined>;
  /** Pause before an automatic restart. Default 250 ms. */
  autoRestartDelayMs?: number;
}

const DEFAULT_AUTO_RESTART_DELAY_MS = 250;

export interface ServiceHandle {
  readonly name: string;
  /** Pid of the current child (changes on restart). */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Poll readyUrl until 200; rejects with the output tail if the child dies or time runs out. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** How often the child exited on its own (a crash: not through stop, kill or restart). */
  readonly unexpectedExits: number;
  /** How often the child exited on its own and was started again (autoRestart). */
  readonly autoRestarts: number;
  /** SIGTERM, then SIGKILL after the grace period. Final: no automatic restart follows. */
  stop(): Promise<void>;
  /** SIGKILL, to simulate a crash. No automatic restart follows: call restart() when you want it back. */
  kill(): Promise<void>;
  /** Stop (if running), start again with the same options, and wait until ready. */
  restart(timeoutMs?: number): Promise<void>;
  /** The last lines the child printed, for error messages. */
  output(): string;
}

/** Start a service now; call waitReady() before using it. */
export function spawnService(options: ServiceOptions): ServiceHandle {
  const tail = new OutputTail();
  const log: WriteStream | undefined = options.logFile
    ? createWriteStream(options.logFile, { flags: 'a' })
    : undefined;
  // Logging must never take the supervisor down (e.g. a missing directory).
  log?.on('error', (err) => tail.note(`[local-infra] log file error: ${err.message}`));
  let spawnError: Error | undefined;

  const start = (restartEnv?: Record<string, string | undefined>): ChildProcess => {
    spawnError = undefined;
    const child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, ...restartEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Same process group as us: a Ctrl-C in a terminal reaches it too.
      detached: false,
    });
    trackChild(child);
    const onData = (chunk: Buffer): void => {
      tail.push(chunk);
      log?.write(chunk);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // e.g. ENOENT for a wrong command: without a listener it would crash us.
    child.on('error', (err) => {
      spawnError = err;
      tail.note(`[local-infra] ${options.name}: ${err.message}`);
    });
    return child;
  };

  /** A marker line of ours, in the tail and in the log file. */
  const mark = (line: string): void => {
    tail.note(line);
    log?.write(`${line}\n`);
  };

  // Children this handle stopped or killed on purpose: their exit is no crash.
  const intended = new WeakSet<ChildProcess>();
  let stopped = false;
  let autoRestarts = 0;
  let unexpectedExits = 0;
  let pendingRestart: NodeJS.Timeout | undefined;

  const supervise = (current: ChildProcess): void => {
    current.once('exit', () => {
      if (stopped || intended.has(current) || current !== child) return;
      unexpectedExits += 1;
      if (!options.autoRestart) return;
      mark(`[local-infra] --- ${options.name} ${describeExit(current)}; restarting it (autoRestart) ---`);
      pendingRestart = setTimeout(() => {
        pendingRestart = undefined;
        if (stopped || current !== child) return;
        autoRestarts += 1;
        child = start(options.autoRestartEnv);
        supervise(child);
      }, options.autoRestartDelayMs ?? DEFAULT_AUTO_RESTART_DELAY_MS);
    });
  };
  const halt = async (how: (child: ChildProcess) => Promise<void>): Promise<void> => {
    clearTimeout(pendingRestart);
    pendingRestart = undefined;
    const current = child;
    intended.add(current);
    await how(current);
  };

  let child = start();
  supervise(child);
  const describe = (): string =>
    `${options.name} (${options.command} ${(options.args ?? []).join(' ')}) at ${options.readyUrl}\n--- last output ---\n${tail.text()}`;

  const waitReady = (timeoutMs = SERVICE_READY_TIMEOUT_MS): Promise<void> => {
    const current = child;
    return pollUntil(() => httpGetOk(options.readyUrl), {
      timeoutMs,
      describe: () => `${options.name} did not become ready: ${describe()}`,
      failure: () => {
        if (spawnError) return new Error(`${options.name} could not start: ${spawnError.message}`);
        // Under autoRestart a crash is followed by a new child: wait for that one (or time out).
        if (options.autoRestart && !stopped) return undefined;
        if (hasExited(current)) return new Error(`${options.name} ${describeExit(current)} before it was ready: ${describe()}`);
        return undefined;
      },
    });
  };

  return {
    name: options.name,
    get pid() {
      return child.pid;
    },
    get running() {
      return child.pid !== undefined && !hasExited(child);
    },
    get autoRestarts() {
      return autoRestarts;
    },
    get unexpectedExits() {
      return unexpectedExits;
    },
    waitReady,
    stop: () => {
      stopped = true;
      return halt((current) => stopChild(current, options.stopGraceMs));
    },
    kill: () => halt(killChild),
    async restart(timeoutMs) {
      await halt((current) => stopChild(current, options.stopGraceMs));
      stopped = false;
      mark(`[local-infra] --- ${options.name} restarted ---`);
      child = start();
      supervise(child);
      await waitReady(timeoutMs);
    },
    output: () => tail.text(),
  };
}
