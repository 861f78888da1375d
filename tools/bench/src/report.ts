import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import type { PostgresCommitRate, RawJetStreamRates } from './baselines.js';
import type { CostPerOrder } from './cost-budget.js';
import type { Durability } from './durability.js';
import type { PipelineTimings, Verification } from './pipeline-facts.js';
import type { ProcessFigures } from './process-sampler.js';
import type { LatencySummary } from './stats.js';
import type { TransportFigures } from './transport-bench.js';

/**
 * The bench's result as JSON (a stable format: `formatVersion` changes when a
 * field changes meaning or goes away; new fields may be added) and as a
 * markdown table for the README.
 */

export const REPORT_FORMAT_VERSION = 1 as const;

export interface Machine {
  cpus: number;
  cpuModel: string;
  totalMemoryMb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the bench started: a busy machine gives lower figures. */
  loadAverageAtStart: number;
}

export interface TargetCheck {
  target: string;
  actual: string;
  met: boolean;
}

interface CommonReport {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine;
  targets: TargetCheck[];
  passed: boolean;
}

export interface PipelineReport extends CommonReport {
  mode: 'pipeline';
  settings: {
    /** Orders placed (accepted). */
    orders: number;
    /** How long orders were placed for; null when a count was given. */
    durationSeconds: number | null;
    concurrency: number | null;
    offeredRatePerSecond: number | null;
    startedStack: boolean;
    serviceEnv: Record<string, string>;
    /** The servers' durability settings, as they reported them. */
    durability: Durability;
  };
  throughput: {
    /** Verified orders per second, from the first POST to the last order's final state. */
    ordersPerSecond: number;
    orders: number;
    spanMs: number;
    firstPostAt: string;
    lastFinalAt: string;
    /** POSTs answered per second (the API alone). */
    postsPerSecond: number;
  };
  verification: Verification & { postFailures: number; postFailureSamples: string[] };
  /** What became of the POSTs: taken, refused at once by admission control (503), or failed (errors, resets). */
  admission: { offered: number; accepted: number; shed: number; failed: number; refusalLatencyMs: LatencySummary | null };
  latencyMs: { post: LatencySummary; pipeline: LatencySummary };
  /** Orders finished per second in the first and last tenth of the run, and their ratio (null under 100 orders). */
  sustained: PipelineTimings['sustained'];
  /** Rows in each outbox and inbox at the end of the run. */
  tableRows: Record<string, number>;
  stages: PipelineTimings['stages'];
  processes: ProcessFigures[];
  cpuSecondsPer1000Orders: { total: number; byProcess: Record<string, number> };
  /** What one order cost, in events, messages, transactions, statements, round trips and CPU; null for services not started by the bench. */
  costPerOrder: CostPerOrder | null;
  baselines: { jetstream: RawJetStreamRates; postgres: PostgresCommitRate } | null;
  ratios: {
    /** Relay publishes per second over the raw client's publishes per second. */
    relayPublishVsRawPublish: number | null;
    /** Events applied per second (all consumers) over the raw client's consume+ack per second. */
    consumedVsRawConsumeAck: number | null;
    /** End-to-end orders per second over PostgreSQL's single-row commits per second. */
    ordersVsPostgresCommits: number | null;
  };
}

export interface TransportReport extends CommonReport {
  mode: 'transport';
  settings: { messages: number; rounds: number };
  transport: TransportFigures;
  processes: ProcessFigures[];
}

export type BenchReport = PipelineReport | TransportReport;

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** Writes `<dir>/<timestamp>-<mode>.json` and `.md`; returns the JSON file's path. */
export function writeReport(report: BenchReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-${report.mode}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${markdownTable(report)}\n`);
  return `${base}.json`;
}

/** The figures as a markdown table, ready to paste into the README. */
export function markdownTable(report: BenchReport): string {
  const rows: Array<[string, string]> = [
    ['command', `\`${report.command}\``],
    ['machine', `${report.machine.cpus} cores (${report.machine.cpuModel}), Node ${report.machine.node}, load ${report.machine.loadAverageAtStart} at start`],
    ['date', report.startedAt.slice(0, 10)],
  ];
  if (report.mode === 'pipeline') {
    const { throughput: t, latencyMs: l, stages: s, baselines: b, ratios: r, verification: v } = report;
    rows.push(
      ['end-to-end throughput', `**${fmt(t.ordersPerSecond)} orders/s** (${t.orders} orders in ${fmt(t.spanMs / 1_000)} s)`],
      ['verified', `${v.passed ? 'all' : 'NOT all'}: ${v.lost} lost, ${v.notFinal} not final, ${v.inconsistent} inconsistent, ${v.postFailures} POSTs failed`],
      ['POSTs offered: accepted / shed (503) / failed', admissionText(report.admission)],
      ['POST latency p50 / p90 / p99 / max', latencies(l.post)],
      ['pipeline latency p50 / p90 / p99 / max', latencies(l.pipeline)],
      ['orders/s finished: first tenth, last tenth (ratio)', report.sustained ? `${fmt(report.sustained.firstTenthPerSecond)}, ${fmt(report.sustained.lastTenthPerSecond)} (${report.sustained.ratio})` : 'n/a (under 100 orders)'],
      ['outbox / inbox rows at the end', Object.entries(report.tableRows).map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`).join(', ')],
      ['relay publishes/s', `${fmt(s.relayPublishes.perSecond)} (${s.relayPublishes.count} events)`],
      ['events consumed/s', `${fmt(s.eventsConsumed.perSecond)} (${s.eventsConsumed.count} events)`],
      ['payments/s, shipments/s', `${fmt(s.payments.perSecond)}, ${fmt(s.shipments.perSecond)}`],
      ['order-state updates/s', fmt(s.orderStateUpdates.perSecond)],
      ...report.processes.map((p): [string, string] => [`${p.name}: peak RSS, CPU s / 1,000 orders`, `${fmt(p.peakRssMb)} MB, ${fmt(p.cpuSecondsPer1000)} s`]),
      ['CPU s / 1,000 orders (all measured)', fmt(report.cpuSecondsPer1000Orders.total)],
      ...costRows(report.costPerOrder),
      ['durability', durabilityText(report.settings.durability)],
    );
    if (b) {
      rows.push(
        ['raw JetStream publish / consume+ack (msg/s)', `${fmt(b.jetstream.publishPerSecond)} / ${fmt(b.jetstream.consumeAckPerSecond)}`],
        [`PostgreSQL commits/s (${b.postgres.connections} connections)`, fmt(b.postgres.commitsPerSecond)],
        ['relay publishes / raw publishes', fmtRatio(r.relayPublishVsRawPublish)],
        ['events consumed / raw consume+ack', fmtRatio(r.consumedVsRawConsumeAck)],
        ['orders/s / PostgreSQL commits/s', fmtRatio(r.ordersVsPostgresCommits)],
      );
    }
  } else {
    const t = report.transport;
    rows.push(
      ['messages × rounds (median)', `${t.messages} × ${t.rounds.length}, ${t.messageBytes} bytes each`],
      ['publish: transport / raw, medians (msg/s)', `${fmt(t.transportPublishPerSecond)} / ${fmt(t.rawPublishPerSecond)}`],
      ['publish: transport / raw, median of the rounds\' ratios', fmtRatio(t.publishRatio ?? null)],
      ['consume+ack: transport / raw, medians (msg/s)', `${fmt(t.transportConsumeAckPerSecond)} / ${fmt(t.rawConsumeAckPerSecond)}`],
      ['consume+ack: transport / raw, median of the rounds\' ratios', fmtRatio(t.consumeAckRatio ?? null)],
    );
  }
  rows.push(...report.targets.map((t): [string, string] => [`target: ${t.target}`, `${t.met ? 'met' : '**missed**'} (${t.actual})`]));
  return ['| figure | value |', '| --- | --- |', ...rows.map(([name, value]) => `| ${name} | ${value} |`)].join('\n');
}

function admissionText(a: PipelineReport['admission']): string {
  const refusals = a.refusalLatencyMs ? `; refusals p50 / p99 ${fmt(a.refusalLatencyMs.p50)} / ${fmt(a.refusalLatencyMs.p99)} ms` : '';
  return `${a.offered}: ${a.accepted} / ${a.shed} / ${a.failed}${refusals}`;
}

function costRows(cost: CostPerOrder | null): Array<[string, string]> {
  if (!cost) return [];
  const cpu = Object.entries(cost.cpuMicroseconds.byProcess).map(([name, us]) => `${name} ${fmt(us)}`).join(', ');
  return [
    ['per order: events published, messages consumed', `${fmt(cost.eventsPublished)}, ${fmt(cost.messagesConsumed)}`],
    ['per order: transactions, statements, round trips', `${fmt(cost.transactions)}, ${cost.statements === null ? 'n/a' : fmt(cost.statements)}, ${fmt(cost.databaseRoundTrips)}`],
    ['per order: CPU µs', `**${fmt(cost.cpuMicroseconds.total)}** (${cpu})`],
  ];
}

function durabilityText({ postgres, nats }: Durability): string {
  const pg = `PostgreSQL fsync ${postgres.fsync}, synchronous_commit ${postgres.synchronousCommit}, full_page_writes ${postgres.fullPageWrites}${postgres.durable ? '' : ' (**not durable**)'}`;
  return nats ? `${pg}; NATS ${nats.version}, ${nats.storage} storage, sync: ${nats.syncInterval}` : pg;
}

function latencies(summary: LatencySummary): string {
  return `${fmt(summary.p50)} / ${fmt(summary.p90)} / ${fmt(summary.p99)} / ${fmt(summary.max)} ms`;
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 10) / 10);
}

function fmtRatio(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value * 1_000) / 10}%`;
}
