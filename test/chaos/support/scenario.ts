import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { OrderState } from '#contracts';
import { PIPELINE_SERVICES, startPipeline, type Pipeline, type PipelineOptions, type PipelineServiceName } from '#local-infra';
import { isTerminal } from '../../../tools/demo/src/verification.js';
import { CHAOS_SUMMARY_FILE_ENV } from './summary-file.js';
import { mirrorBehind } from './mirror.js';
import { analyticsBehind } from './analytics.js';
import { listDeadLetters, type DeadLetterSummary, type ExpectedDeadLetter } from './dead-letters.js';
import { PipelineDatabase, type PipelineFacts, type ProductStock } from './facts.js';
import { evaluate, type Verdict } from './invariants.js';
import { readSettlements, type SettlementEvent } from './inventory.js';
import { startOrderLoad, type AcceptedOrder, type OrderLoad } from './load.js';

/**
 * One chaos scenario from start to finish: a whole pipeline of its own (NATS
 * with JetStream on disk, PostgreSQL, the built services as processes),
 * a few hundred orders placed by clients that retry, a fault injected while
 * they flow, then the wait until everything has settled and the verdict on
 * the invariants. Scenario files only say what the fault is and which dead
 * letters (and stuck orders) it deserves.
 */

/** Orders per scenario: a few hundred, and the whole chaos layer stays within minutes on two cores. */
export const CHAOS_ORDERS = 200;
/** HTTP requests in flight at once. */
export const CHAOS_CONCURRENCY = 8;
/**
 * Consumer ack wait in every chaos pipeline (CONSUMER_ACK_WAIT_MS). The
 * production default (30 s) is how long a SIGKILLed worker's unacknowledged
 * messages wait before they are delivered again; 5 s keeps each scenario
 * short. CHAOS_ACK_WAIT_MS in the environment overrides it (e.g. 30000, to
 * run the scenarios with the production setting).
 */
export const CHAOS_ACK_WAIT_MS = Number(process.env['CHAOS_ACK_WAIT_MS'] ?? 5_000);
/** Share of charges the mock gateway captures: the rest are declined, so both ends occur. */
export const CHAOS_SUCCESS_RATE = 0.8;
/** How long everything may take to settle once the orders are in. */
const SETTLE_TIMEOUT_MS = 120_000;
const POLL_MS = 500;
/**
 * Nothing pending, nothing in flight, for this many polls in a row: the
 * pipeline has settled even though some orders are not terminal.
 */
const QUIET_POLLS = 6;

export interface ScenarioOptions {
  /** Short id used in names and the summary, e.g. `kill-payments`. */
  name: string;
  /** What is done, in words, e.g. `SIGKILL payments mid-run`. */
  title: string;
  orders?: number;
  concurrency?: number;
  paymentSuccessRate?: number;
  paymentGatewayErrorRate?: number;
  ackWaitMs?: number;
  /** Environment for every service (fault flags, say), applied before `env`. */
  commonEnv?: Record<string, string>;
  env?: PipelineOptions['env'];
  autoRestart?: PipelineOptions['autoRestart'];
  autoRestartEnv?: PipelineOptions['autoRestartEnv'];
  /** SIGKILL these services before the graceful stop (one holding hung handlers would wait out its drain timeout). */
  killBeforeStop?: readonly PipelineServiceName[];
}

/** What a fault has at hand while the orders flow. */
export interface ScenarioContext {
  readonly pipeline: Pipeline;
  readonly load: OrderLoad;
  readonly nc: NatsConnection;
  /** Read access to the services' tables. */
  readonly db: PipelineDatabase;
  readonly orders: number;
  /** Adds a note to the scenario's summary line, e.g. `payments back in 2.9 s`. */
  note(text: string): void;
}

export interface SettledRun {
  accepted: AcceptedOrder[];
  facts: PipelineFacts;
  /** Every product's stock right after the pipeline started (the restock included). */
  startStock: ProductStock[];
  /** The inventory.committed and inventory.released events in the INVENTORY stream, by order. */
  settlements: Map<string, SettlementEvent[]>;
  deadLetters: DeadLetterSummary[];
  /** The services' output files, for faults that leave markers there. */
  log(service: PipelineServiceName): string;
  /** True when the wait ended because time ran out. */
  timedOut: boolean;
}

export interface Expectations {
  /**
   * What an operator does once the run has settled (deploy a fix, replay the
   * dead letters); the pipeline must then settle again before it is judged.
   */
  recovery?(context: ScenarioContext): Promise<void>;
  /** The dead letters this run deserves; every other one is a failure. */
  deadLetters(run: SettledRun): ExpectedDeadLetter[];
  /** Orders that must stop short of a terminal state, and where. Default none. */
  stuck?(run: SettledRun): ReadonlyMap<string, OrderState>;
}

export interface ScenarioOutcome extends Verdict {
  run: SettledRun;
  /** Orders the KV mirror does not show as they ended (mirror.ts): must be none. */
  mirrorBehind: string[];
  /** Where analytics' figures differ from a recount from the orders once settled: must be nothing. */
  analyticsBehind: string[];
  /** From the first order to the settled pipeline. */
  durationMs: number;
  /** Starting the pipeline (NATS, PostgreSQL, migrations, the services, the restock). */
  startMs: number;
  /** Stopping it again. */
  stopMs: number;
  /** Including starting and stopping the pipeline. */
  totalMs: number;
  notes: string[];
  summary: string;
}

export class ChaosScenario {
  private pipeline?: Pipeline;
  private nc?: NatsConnection;
  private db?: PipelineDatabase;
  private load?: OrderLoad;
  private startedAt = 0;
  private readonly logDir: string;
  private readonly keepLogs: boolean;
  private passed = false;
  private failure?: string;
  private outcome?: ScenarioOutcome;
  readonly runId = randomBytes(4).toString('hex');

  constructor(readonly options: ScenarioOptions) {
    const root = process.env['CHAOS_LOG_DIR'];
    this.keepLogs = root !== undefined;
    this.logDir = root ? path.join(root, `${options.name}-${this.runId}`) : mkdtempSync(path.join(tmpdir(), `chaos-${options.name}-`));
  }

  get orders(): number {
    return this.options.orders ?? CHAOS_ORDERS;
  }

  /** The settled outcome; throws if run() has not finished. */
  get result(): ScenarioOutcome {
    if (!this.outcome) throw new Error(`scenario ${this.options.name} did not run to the end (see the error of beforeAll)`);
    return this.outcome;
  }

  /** Starts everything, places the orders while `fault` runs, waits until settled, and judges. */
  async run(fault: (context: ScenarioContext) => Promise<void>, expectations: Expectations): Promise<ScenarioOutcome> {
    try {
      return await this.runUnguarded(fault, expectations);
    } catch (error) {
      this.failure = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw error;
    }
  }

  private async runUnguarded(fault: (context: ScenarioContext) => Promise<void>, expectations: Expectations): Promise<ScenarioOutcome> {
    const { options } = this;
    this.startedAt = Date.now();
    const pipeline = (this.pipeline = await startPipeline({
      databaseName: `chaos_${options.name.replace(/\W/g, '_')}_${this.runId}`,
      paymentSuccessRate: options.paymentSuccessRate ?? CHAOS_SUCCESS_RATE,
      paymentSeed: `chaos-${this.runId}`,
      paymentLatencyMs: 5,
      paymentGatewayErrorRate: options.paymentGatewayErrorRate,
      autoRestart: options.autoRestart,
      autoRestartEnv: options.autoRestartEnv,
      logDir: this.logDir,
      env: envFor(options),
      // Enough that no chaos order is rejected for want of stock (the oversell checks bound stock themselves).
      stockPerProduct: 100_000,
    }));
    this.nc = await connect({ servers: pipeline.natsUrl, name: `chaos-${options.name}`, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    this.db = new PipelineDatabase(pipeline.databaseUrl);
    const jsm = await jetstreamManager(this.nc);
    const startStock = await this.db.products();

    const notes: string[] = [];
    const loadStartedAt = Date.now();
    const startMs = loadStartedAt - this.startedAt;
    const load = (this.load = startOrderLoad({ api: pipeline.api, count: this.orders, concurrency: options.concurrency ?? CHAOS_CONCURRENCY, runId: this.runId }));
    const context: ScenarioContext = { pipeline, load, nc: this.nc, db: this.db, orders: this.orders, note: (text) => notes.push(text) };
    const watchdog = watchForCrashes(pipeline, (name) => isSupervised(options, name));
    const [accepted] = await Promise.race([Promise.all([load.done, fault(context)]), watchdog.crashed]);
    if (load.stats.retries > 0) {
      const kinds = Object.entries(load.stats.failures).map(([kind, n]) => `${n} ${kind}`).join(', ');
      notes.push(`${load.stats.retries} HTTP retries (${kinds}), ${load.stats.replayed} answered as replays`);
    }

    let wait = await Promise.race([this.waitUntilSettled(jsm, accepted), watchdog.crashed]);
    if (expectations.recovery && wait.settled) {
      await Promise.race([expectations.recovery(context), watchdog.crashed]);
      wait = await Promise.race([this.waitUntilSettled(jsm, accepted), watchdog.crashed]);
    }
    watchdog.stop();
    const timedOut = !wait.settled;
    const [facts, deadLetters, settlements] = await Promise.all([
      retrying(() => this.db!.facts()),
      retrying(() => listDeadLetters(pipeline.api)),
      retrying(() => readSettlements(this.nc!)),
    ]);
    const behind = await retrying(() => mirrorBehind(this.nc!, facts));
    const analytics = await retrying(() => analyticsBehind(pipeline, this.db!));
    const durationMs = Date.now() - loadStartedAt;
    const settled: SettledRun = { accepted, facts, startStock, settlements, deadLetters, timedOut, log: (service) => readLog(this.logDir, service) };
    const restarts = (Object.entries(pipeline.services) as Array<[PipelineServiceName, Pipeline['services'][PipelineServiceName]]>)
      .filter(([, handle]) => handle.unexpectedExits > 0)
      .map(([name, handle]) => `${name} ${handle.unexpectedExits}×`);
    if (restarts.length > 0) notes.push(`crashed and restarted by the supervisor: ${restarts.join(', ')}`);
    if (timedOut) notes.push(`NOT SETTLED after ${SETTLE_TIMEOUT_MS / 1_000} s: ${wait.busy}`);

    const verdict = evaluate({
      accepted,
      facts,
      deadLetters,
      startStock,
      settlements,
      expectedDeadLetters: expectations.deadLetters(settled),
      expectedStuck: expectations.stuck?.(settled),
    });
    const outcome: ScenarioOutcome = { ...verdict, run: settled, mirrorBehind: behind, analyticsBehind: analytics, durationMs, startMs, stopMs: 0, totalMs: 0, notes, summary: '' };
    this.outcome = outcome;
    return outcome;
  }

  /** Stops everything and records the summary line. Call from afterAll. */
  async stop(): Promise<void> {
    this.load?.stop();
    await this.nc?.close().catch(() => undefined);
    await this.db?.close().catch(() => undefined);
    const stoppingAt = Date.now();
    for (const service of this.options.killBeforeStop ?? []) await this.pipeline?.services[service].kill();
    await this.pipeline?.stop();
    const outcome = this.outcome;
    if (outcome) {
      outcome.stopMs = Date.now() - stoppingAt;
      outcome.totalMs = Date.now() - this.startedAt;
      outcome.summary = summaryLine(this.options, outcome);
      this.passed = isClean(outcome);
      record(outcome.summary);
    } else {
      record(`${this.options.name.padEnd(22)} did not finish: ${this.failure ?? 'see the test error'}`);
    }
    if (!this.keepLogs && this.passed) rmSync(this.logDir, { recursive: true, force: true });
    else process.stdout.write(`[chaos] ${this.options.name}: service logs kept in ${this.logDir}\n`);
  }

  /**
   * Settled: every accepted order is terminal, or nothing has moved for a
   * while: no outbox row waits to be published, and no consumer of any
   * stream (the dead-letter advisories' included) has a message pending or
   * unacknowledged, on a few polls in a row. Orders still not terminal then
   * are judged by the invariants (lost, unless the scenario expects them).
   */
  private async waitUntilSettled(jsm: JetStreamManager, accepted: readonly AcceptedOrder[]): Promise<{ settled: boolean; busy: string }> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let quiet = 0;
    let busy = 'not checked yet';
    while (Date.now() < deadline) {
      try {
        const states = await this.db!.orderStates();
        const allTerminal = accepted.every((order) => {
          const state = states.get(order.orderId);
          return state !== undefined && isTerminal({ state });
        });
        const unpublished = await this.db!.unpublishedOutboxRows();
        const consumers = await busyConsumers(jsm);
        busy = [...(unpublished > 0 ? [`${unpublished} outbox rows unpublished`] : []), ...consumers].join(', ');
        quiet = busy === '' ? quiet + 1 : 0;
        // Dead letters are recorded after the orders ended: the advisory consumer must be idle too.
        if (allTerminal && quiet >= 2) return { settled: true, busy };
        if (quiet >= QUIET_POLLS) return { settled: true, busy };
      } catch (error) {
        // A server being restarted: poll again.
        busy = `polling failed: ${(error as Error).message}`;
        quiet = 0;
      }
      await sleep(POLL_MS);
    }
    return { settled: false, busy };
  }
}

function isSupervised(options: ScenarioOptions, service: PipelineServiceName): boolean {
  return options.autoRestart === true || (Array.isArray(options.autoRestart) && options.autoRestart.includes(service));
}

/**
 * Fails the run at once when a service the scenario does not supervise exits
 * on its own (a crash, not the fault's kill): waiting on would only turn the
 * crash into a timeout somewhere else, without its reason.
 */
function watchForCrashes(pipeline: Pipeline, supervised: (service: PipelineServiceName) => boolean): { crashed: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const crashed = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      for (const [name, handle] of Object.entries(pipeline.services) as Array<[PipelineServiceName, Pipeline['services'][PipelineServiceName]]>) {
        if (handle.unexpectedExits > 0 && !supervised(name)) {
          clearInterval(timer);
          reject(new Error(`${name} crashed (exited on its own) during the run; its last output:\n${handle.output().split('\n').slice(-60).join('\n')}`));
          return;
        }
      }
    }, 250);
  });
  crashed.catch(() => undefined);
  return { crashed, stop: () => clearInterval(timer) };
}

function envFor(options: ScenarioOptions): PipelineOptions['env'] {
  const common = { CONSUMER_ACK_WAIT_MS: String(options.ackWaitMs ?? CHAOS_ACK_WAIT_MS), ...options.commonEnv };
  // Every service of the pipeline, analytics included, with the scenario's ack wait.
  return Object.fromEntries(PIPELINE_SERVICES.map((name) => [name, { ...common, ...options.env?.[name] }]));
}

/**
 * The pipeline's durable consumers (the dead-letter office's included) that
 * still have messages pending or unacknowledged, as `STREAM/durable (n
 * pending, m unacked)`. Ephemeral consumers (the tests' own readers) are not
 * the pipeline's and are left out.
 */
async function busyConsumers(jsm: JetStreamManager): Promise<string[]> {
  const busy: string[] = [];
  for await (const stream of jsm.streams.list()) {
    for await (const consumer of jsm.consumers.list(stream.config.name)) {
      if (!consumer.config.durable_name) continue;
      if (consumer.num_pending > 0 || consumer.num_ack_pending > 0) {
        busy.push(`${stream.config.name}/${consumer.name} (${consumer.num_pending} pending, ${consumer.num_ack_pending} unacked)`);
      }
    }
  }
  return busy;
}

/**
 * SIGKILLs a service behind its handle's back, as a crash would, and waits
 * until its supervisor (the scenario's autoRestart) has it ready again.
 */
export async function crashUnderSupervisor(handle: Pipeline['services'][PipelineServiceName]): Promise<void> {
  const restartsBefore = handle.autoRestarts;
  // Not handle.kill(): a kill through the handle is final, and no restart would follow.
  process.kill(handle.pid!, 'SIGKILL');
  await eventually(`${handle.name} started again after it was killed`, () => handle.autoRestarts !== restartsBefore, 30_000);
  await handle.waitReady();
}

/** Polls `condition` until it holds; fails after `timeoutMs` saying what never happened. */
export async function eventually(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** Reads taken right after a restart may meet a service that is not up yet. */
async function retrying<T>(read: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(250);
    }
  }
}

function readLog(dir: string, service: PipelineServiceName): string {
  try {
    return readFileSync(path.join(dir, `${service}.log`), 'utf8');
  } catch {
    return '';
  }
}

export function isClean(outcome: Verdict & { run: SettledRun }): boolean {
  return (
    !outcome.run.timedOut &&
    outcome.lost.length === 0 &&
    outcome.doubleApplied.length === 0 &&
    outcome.inconsistent.length === 0 &&
    outcome.stock.length === 0 &&
    outcome.reservations.length === 0 &&
    outcome.deadLetters.problems.length === 0
  );
}

function summaryLine(options: ScenarioOptions, outcome: ScenarioOutcome): string {
  const states = Object.entries(outcome.states)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
  return [
    `${options.name.padEnd(22)} ${options.title}`,
    `${outcome.orders} orders (${states})`,
    `lost ${outcome.lost.length}`,
    `double-applied ${outcome.doubleApplied.length}`,
    `inconsistent ${outcome.inconsistent.length}`,
    `stock off ${outcome.stock.length}`,
    `reservations off ${outcome.reservations.length}`,
    `dead letters ${outcome.deadLetters.actual} (expected ${outcome.deadLetters.expected}${outcome.deadLetters.problems.length ? `, ${outcome.deadLetters.problems.length} PROBLEMS` : ''})`,
    `${seconds(outcome.durationMs)} (start ${seconds(outcome.startMs)}, stop ${seconds(outcome.stopMs)}, total ${seconds(outcome.totalMs)})`,
    ...(outcome.notes.length ? [outcome.notes.join('; ')] : []),
  ].join(' | ');
}

function record(line: string): void {
  process.stdout.write(`[chaos] ${line}\n`);
  // Set by the chaos config's global setup; a file run another way has the line above only.
  const summaryFile = process.env[CHAOS_SUMMARY_FILE_ENV];
  if (summaryFile) appendFileSync(summaryFile, `${line}\n`);
}
