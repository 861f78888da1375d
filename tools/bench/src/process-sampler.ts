import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { round } from './stats.js';

/**
 * CPU time and peak memory of the processes under test, read from /proc
 * (Linux only; elsewhere the figures are left out).
 *
 * CPU: utime+stime of /proc/<pid>/stat, the difference between the start and
 * the end of the measured window. Memory: VmHWM of /proc/<pid>/status, the
 * kernel's own high-water mark of the resident set.
 *
 * PostgreSQL runs one process per connection, so it is measured as a group:
 * the postmaster (with cutime/cstime, the CPU of backends that already
 * exited) plus its live children. Its memory is the largest sum of the
 * group's VmRSS seen while sampling; shared buffers count once per process
 * that touched them, so it overstates what the server really holds.
 */

export interface ProcessTarget {
  name: string;
  pid: number;
  /** Count the children too (PostgreSQL's backends). */
  group?: boolean;
}

export interface ProcessFigures {
  name: string;
  pid: number;
  cpuSeconds: number;
  cpuSecondsPer1000: number;
  peakRssMb: number;
  /** How peakRssMb was measured. */
  rssSource: 'VmHWM' | 'max sampled sum of VmRSS (group)';
}

const SAMPLE_INTERVAL_MS = 500;
const clockTicks = readClockTicks();

export class ProcessSampler {
  private readonly startCpu = new Map<string, number>();
  private readonly peakGroupRssKb = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly targets: readonly ProcessTarget[]) {}

  /** Start of the measured window. */
  start(): void {
    for (const target of this.targets) this.startCpu.set(target.name, cpuSecondsOf(target));
    this.sampleGroups();
    this.timer = setInterval(() => this.sampleGroups(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  /** End of the measured window; CPU per 1,000 of `units` (orders or messages). */
  finish(units: number): ProcessFigures[] {
    clearInterval(this.timer);
    this.sampleGroups();
    return this.targets.map((target) => {
      const cpuSeconds = Math.max(0, cpuSecondsOf(target) - (this.startCpu.get(target.name) ?? 0));
      const rssKb = target.group ? (this.peakGroupRssKb.get(target.name) ?? 0) : statusKb(target.pid, 'VmHWM');
      return {
        name: target.name,
        pid: target.pid,
        cpuSeconds: round(cpuSeconds),
        cpuSecondsPer1000: units > 0 ? round((cpuSeconds * 1_000) / units) : 0,
        peakRssMb: round(rssKb / 1024),
        rssSource: target.group ? 'max sampled sum of VmRSS (group)' : 'VmHWM',
      };
    });
  }

  private sampleGroups(): void {
    for (const target of this.targets.filter((t) => t.group)) {
      const pids = [target.pid, ...childrenOf(target.pid)];
      const rss = pids.reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0);
      this.peakGroupRssKb.set(target.name, Math.max(rss, this.peakGroupRssKb.get(target.name) ?? 0));
    }
  }
}

/** True where /proc has what the sampler reads. */
export function canSampleProcesses(): boolean {
  try {
    readFileSync(`/proc/${process.pid}/stat`);
    return true;
  } catch {
    return false;
  }
}

function cpuSecondsOf(target: ProcessTarget): number {
  const own = statFields(target.pid);
  if (!own) return 0;
  if (!target.group) return (own.utime + own.stime) / clockTicks;
  // Exited children's time is in cutime/cstime once the postmaster reaped them.
  let ticks = own.utime + own.stime + own.cutime + own.cstime;
  for (const child of childrenOf(target.pid)) {
    const fields = statFields(child);
    if (fields) ticks += fields.utime + fields.stime;
  }
  return ticks / clockTicks;
}

interface StatFields {
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

function statFields(pid: number): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  return { ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]), cutime: Number(rest[13]), cstime: Number(rest[14]) };
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (statFields(Number(entry))?.ppid === parent) children.push(Number(entry));
  }
  return children;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function readClockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // Linux's USER_HZ nearly everywhere
  }
}
