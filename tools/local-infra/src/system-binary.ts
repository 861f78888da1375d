import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where Debian puts binaries that a non-login PATH may leave out (nats-server goes to /usr/sbin). */
const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/bin', '/sbin'];

/** A program the tests run that is not an npm package: found on the machine, or installed from Debian. */
export interface SystemBinary {
  /** The executable's name. */
  readonly name: string;
  /** The Debian package that installs it. */
  readonly debianPackage: string;
  /** An environment variable that names the binary instead. */
  readonly envVar: string;
  /** How to install it by hand, for the error when it cannot be installed here. */
  readonly installHelp: readonly string[];
}

const located = new Map<string, Promise<string>>();

/**
 * Path of the binary: $envVar, else PATH and the usual system directories,
 * else (as root) Debian's package, installed on the spot, so that a fresh
 * machine runs `npm test` without a set-up step of its own.
 */
export function ensureSystemBinary(binary: SystemBinary): Promise<string> {
  let path = located.get(binary.name);
  if (!path) {
    path = locateOrInstall(binary).catch((err: unknown) => {
      located.delete(binary.name); // let a later call try again
      throw err;
    });
    located.set(binary.name, path);
  }
  return path;
}

async function locateOrInstall(binary: SystemBinary): Promise<string> {
  const fromEnv = process.env[binary.envVar];
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new Error(`${binary.envVar}=${fromEnv} is not an executable file`);
  }
  const found = await findOnPath(binary.name);
  if (found) return found;

  if (process.getuid?.() !== 0 || !(await findOnPath('apt-get'))) {
    throw new Error(missingBinaryHelp(binary, 'it is not installed'));
  }
  try {
    await aptInstall(binary.debianPackage);
  } catch (err) {
    // Another process (a parallel test worker) may have installed it meanwhile.
    const raced = await findOnPath(binary.name);
    if (raced) return raced;
    throw new Error(missingBinaryHelp(binary, `installing it with apt-get failed: ${(err as Error).message}`));
  }
  const installed = await findOnPath(binary.name);
  if (!installed) throw new Error(missingBinaryHelp(binary, 'apt-get installed the package but no binary was found'));
  return installed;
}

async function aptInstall(debianPackage: string): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for the dpkg lock instead of failing when two workers install at once.
  const install = (): Promise<unknown> =>
    execFileAsync('apt-get', ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=120', debianPackage], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  try {
    await install();
  } catch (err) {
    // Fresh images ship without package lists; refresh only then, since
    // `apt-get update` is the slow, network-heavy part.
    const output = `${(err as { stderr?: string }).stderr ?? ''}${(err as { stdout?: string }).stdout ?? ''}`;
    if (!/Unable to locate package|has no installation candidate/i.test(output)) throw err;
    await execFileAsync('apt-get', ['update', '-q', '-o', 'DPkg::Lock::Timeout=120'], { env, maxBuffer: 16 * 1024 * 1024 });
    await install();
  }
}

function missingBinaryHelp(binary: SystemBinary, reason: string): string {
  return [`${binary.name} was not found (${reason}).`, ...binary.installHelp, `or point ${binary.envVar} at the binary.`].join('\n');
}

export async function findOnPath(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
