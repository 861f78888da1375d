import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsServices, type ServiceName } from '#contracts';
import { NATS_ADMIN_USER, renderNatsAuthorization } from '../../contracts/src/nats-authorization.js';
import { findFreePorts } from './free-port.js';
import { ensureSystemBinary, type SystemBinary } from './system-binary.js';
import {
  OutputTail,
  describeExit,
  hasExited,
  httpGetOk,
  killChild,
  onParentExit,
  pollUntil,
  stopChild,
  trackChild,
} from './process-group.js';

/**
 * A real NATS server with JetStream as a local child process. There is no
 * Docker where the tests run, and a mock would not show what the server does
 * (dedup window, redelivery, advisories, recovery from disk after a restart).
 */

const HOST = '127.0.0.1';
/** Start-up takes well under a second; the margin is for a loaded CI box. */
const DEFAULT_READY_TIMEOUT_MS = 15_000;
/** JetStream flushes its store on SIGTERM; that is quick even with data. */
const STOP_GRACE_MS = 10_000;

export interface NatsServerOptions {
  /** Client port; a free one if omitted. */
  port?: number;
  /** HTTP monitoring port; a free one if omitted. */
  monitorPort?: number;
  /** JetStream store; a fresh temporary directory (removed by stop()) if omitted. */
  storeDir?: string;
  readyTimeoutMs?: number;
}

/** A NATS user's credentials, named as the client's connection options name them: `connect({ servers, ...credentials })`. */
export interface NatsCredentials {
  readonly user: string;
  readonly pass: string;
}

export interface NatsServer {
  /**
   * nats://127.0.0.1:PORT. A client that connects with no credentials is the
   * admin (every right), so tests and tools connect with the URL alone.
   */
  readonly url: string;
  /** Each service's user, with the permissions its contracts give it: what the pipeline starts each service with. */
  readonly credentials: Readonly<Record<ServiceName, NatsCredentials>>;
  /** The admin user (what a client without credentials is, too). */
  readonly admin: NatsCredentials;
  readonly port: number;
  readonly monitorPort: number;
  /** http://127.0.0.1:MONITORPORT */
  readonly monitorUrl: string;
  readonly storeDir: string;
  /** Pid of the current server process (changes on restart), for tools that sample its CPU and memory. */
  readonly pid: number | undefined;
  /** Graceful stop (SIGTERM). Final: removes the store directory if we created it. */
  stop(): Promise<void>;
  /** Stop (or notice it is dead) and start again on the same ports and store; waits until ready. */
  restart(): Promise<void>;
  /** SIGKILL, i.e. a crash. The store stays; restart() brings the server back. */
  kill(): Promise<void>;
  /** The last lines the server printed. */
  output(): string;
}

// ---------------------------------------------------------------------------
// The binary

/** nats-server: from Debian's package when the machine has none. */
export const NATS_SERVER_BINARY: SystemBinary = {
  name: 'nats-server',
  debianPackage: 'nats-server',
  envVar: 'NATS_SERVER_BIN',
  installHelp: [
    'Install NATS Server 2.9 or newer, then run the command again:',
    '  Debian/Ubuntu:  sudo apt-get install -y nats-server   (the binary lands in /usr/sbin)',
    '  other systems:  https://github.com/nats-io/nats-server/releases (put nats-server on PATH)',
  ],
};

/**
 * Path of a `nats-server` binary: $NATS_SERVER_BIN, else PATH and the usual
 * system directories, else (as root) Debian's package, installed on the spot.
 */
export function ensureNatsServerBinary(): Promise<string> {
  return ensureSystemBinary(NATS_SERVER_BINARY);
}

// ---------------------------------------------------------------------------
// The server

/** Start nats-server with JetStream and wait until it accepts clients. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = await ensureNatsServerBinary();
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const ownsStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'nats-js-')));
  const removeStore = ownsStore
    ? onParentExit(() => rmSync(storeDir, { recursive: true, force: true, maxRetries: 3 }))
    : () => false;
  const auth = await writeAuthConfig();
  const tail = new OutputTail();

  // Ports we picked may be taken by someone else before the server binds
  // them (see free-port.ts); then pick again. A port the caller chose is
  // used as given, and a clash on it is their error to see.
  const mayRetry = options.port === undefined && options.monitorPort === undefined;
  let child: ChildProcess | undefined;
  let port = 0;
  let monitorPort = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      const [freeA, freeB] = await findFreePorts(2);
      port = options.port ?? freeA!;
      monitorPort = options.monitorPort ?? freeB!;
      child = launch(binary, { port, monitorPort, storeDir, configFile: auth.file }, tail);
      try {
        await waitUntilReady(child, port, monitorPort, readyTimeoutMs, tail);
        break;
      } catch (err) {
        await killChild(child);
        if (!mayRetry || attempt >= 3 || !/address already in use/i.test(tail.text())) throw err;
        tail.note(`[local-infra] port clash, retrying with other ports`);
      }
    }
  } catch (err) {
    await auth.remove();
    if (ownsStore) {
      removeStore();
      await rm(storeDir, { recursive: true, force: true });
    }
    throw err;
  }

  let current = child;
  return {
    url: `nats://${HOST}:${port}`,
    credentials: auth.credentials,
    admin: auth.admin,
    port,
    monitorPort,
    monitorUrl: `http://${HOST}:${monitorPort}`,
    storeDir,
    get pid() {
      return current.pid;
    },
    async stop() {
      await stopChild(current, STOP_GRACE_MS);
      await auth.remove();
      if (ownsStore) {
        removeStore();
        await rm(storeDir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
    async restart() {
      await stopChild(current, STOP_GRACE_MS);
      tail.note('[local-infra] --- nats-server restarted ---');
      current = launch(binary, { port, monitorPort, storeDir, configFile: auth.file }, tail);
      await waitUntilReady(current, port, monitorPort, readyTimeoutMs, tail);
    },
    kill: () => killChild(current),
    output: () => tail.text(),
  };
}

/**
 * The server's configuration: the pipeline's users with fresh random
 * passwords (what `npm run nats:config` writes for a deployment), and the
 * admin for clients without credentials. Written once per server, so a
 * restart keeps the users and passwords; removed with the server.
 */
async function writeAuthConfig() {
  const passwords = Object.fromEntries(
    [...natsServices(), NATS_ADMIN_USER].map((user) => [user, randomBytes(18).toString('base64url')]),
  );
  const dir = await mkdtemp(join(tmpdir(), 'nats-conf-'));
  const removeDir = onParentExit(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nats-server.conf');
  const config = [
    renderNatsAuthorization(passwords),
    '# Local only: a client without credentials is the admin, so the tests and',
    '# tools connect with the bare URL; every service is started with its own user.',
    `no_auth_user: "${NATS_ADMIN_USER}"`,
    '',
  ].join('\n');
  await writeFile(file, config, { mode: 0o600 });
  const as = (user: string): NatsCredentials => ({ user, pass: passwords[user]! });
  return {
    file,
    credentials: Object.fromEntries(natsServices().map((service) => [service, as(service)])) as Record<ServiceName, NatsCredentials>,
    admin: as(NATS_ADMIN_USER),
    remove: async () => {
      removeDir();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function launch(
  binary: string,
  cfg: { port: number; monitorPort: number; storeDir: string; configFile: string },
  tail: OutputTail,
): ChildProcess {
  // -a binds both the client and the monitoring listener to loopback only;
  // flags take precedence over the file, which holds only the users.
  const args = ['-c', cfg.configFile, '-js', '-sd', cfg.storeDir, '-a', HOST, '-p', String(cfg.port), '-m', String(cfg.monitorPort)];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  trackChild(child);
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.on('error', (err) => tail.note(`[local-infra] could not run ${binary}: ${err.message}`));
  return child;
}

/**
 * Ready means both: /healthz says JetStream is up (the monitor listener
 * starts before JetStream does), and the client port accepts connections
 * (healthz alone does not promise that).
 */
function waitUntilReady(
  child: ChildProcess,
  port: number,
  monitorPort: number,
  timeoutMs: number,
  tail: OutputTail,
): Promise<void> {
  const what = `nats-server on ${HOST}:${port} (monitor ${monitorPort})`;
  return pollUntil(
    async () =>
      (await httpGetOk(`http://${HOST}:${monitorPort}/healthz?js-enabled-only=true`)) && (await canConnect(port)),
    {
      timeoutMs,
      describe: () => `${what} did not become ready\n--- server output ---\n${tail.text()}`,
      failure: () =>
        child.pid === undefined || hasExited(child)
          ? new Error(`${what} ${child.pid === undefined ? 'did not start' : describeExit(child)}\n--- server output ---\n${tail.text()}`)
          : undefined,
    },
  );
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: HOST, port });
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}
