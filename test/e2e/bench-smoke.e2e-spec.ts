import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { repoRoot } from '#local-infra';

/**
 * `npm run bench` with a tiny count, as a user runs it (the built tool as a
 * process, `npm run build` first): it must finish, verify every order and
 * write a report with every field of its documented format. The figures
 * themselves are not checked: they depend on the machine.
 */

const run = promisify(execFile);
const BENCH = path.join(repoRoot(), 'dist', 'tools', 'bench', 'src', 'main.js');

const LATENCY = ['count', 'p50', 'p90', 'p99', 'max', 'mean'];
const COMMON_FIELDS = ['formatVersion', 'mode', 'startedAt', 'finishedAt', 'command', 'machine.cpus', 'machine.loadAverageAtStart', 'targets', 'passed', 'processes'];
const PIPELINE_FIELDS = [
  ...COMMON_FIELDS,
  'settings.orders',
  'throughput.ordersPerSecond',
  'throughput.spanMs',
  'throughput.postsPerSecond',
  'verification.placed',
  'verification.lost',
  'verification.notFinal',
  'verification.inconsistent',
  'verification.outcomes',
  ...['offered', 'accepted', 'shed', 'failed'].map((field) => `admission.${field}`),
  ...LATENCY.map((field) => `latencyMs.post.${field}`),
  ...LATENCY.map((field) => `latencyMs.pipeline.${field}`),
  ...['relayPublishes', 'eventsConsumed', 'payments', 'shipments', 'orderStateUpdates'].flatMap((stage) => [`stages.${stage}.count`, `stages.${stage}.perSecond`]),
  'stages.relayPublishes.byService.orders.perSecond',
  'cpuSecondsPer1000Orders.total',
  'sustained',
  'tableRows',
  'baselines.jetstream.publishPerSecond',
  'baselines.jetstream.consumeAckPerSecond',
  'baselines.postgres.connections',
  'baselines.postgres.commitsPerSecond',
  'ratios.relayPublishVsRawPublish',
  'ratios.consumedVsRawConsumeAck',
  'ratios.ordersVsPostgresCommits',
  ...['fsync', 'synchronousCommit', 'fullPageWrites', 'durable'].map((field) => `settings.durability.postgres.${field}`),
  'settings.durability.nats.version',
  'settings.durability.nats.syncInterval',
  ...['eventsPublished', 'messagesConsumed', 'transactions', 'statements', 'databaseRoundTrips', 'cpuMicroseconds.total'].map((field) => `costPerOrder.${field}`),
  'costPerOrder.cpuMicroseconds.byProcess.orders-api',
];
const TRANSPORT_FIELDS = [
  ...COMMON_FIELDS,
  'settings.messages',
  'transport.rawPublishPerSecond',
  'transport.rawConsumeAckPerSecond',
  'transport.transportPublishPerSecond',
  'transport.transportConsumeAckPerSecond',
  'transport.publishRatio',
  'transport.consumeAckRatio',
];

function valueAt(report: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], report);
}

async function benchReport(outDir: string, args: string[]): Promise<Record<string, unknown>> {
  await run(process.execPath, [BENCH, '--out', outDir, ...args], { cwd: repoRoot(), timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  const [json] = (await readdir(outDir)).filter((file) => file.endsWith('.json'));
  return JSON.parse(await readFile(path.join(outDir, json!), 'utf8')) as Record<string, unknown>;
}

describe('npm run bench (smoke)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bench-smoke-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the pipeline mode and reports every field, every order verified', async () => {
    const report = await benchReport(path.join(dir, 'pipeline'), ['--quick', '--orders', '30', '--concurrency', '4', '--pg-seconds', '0.5']);
    expect(PIPELINE_FIELDS.filter((field) => valueAt(report, field) === undefined)).toEqual([]);
    expect(report).toMatchObject({ formatVersion: 1, mode: 'pipeline', passed: true });
    expect(valueAt(report, 'verification.placed')).toBe(30);
    expect(valueAt(report, 'latencyMs.pipeline.count')).toBe(30);
    const processes = (report['processes'] as Array<{ name: string; peakRssMb: number; cpuSeconds: number }>).map((p) => p.name);
    expect(processes).toEqual(expect.arrayContaining(['orders-api', 'inventory', 'payments', 'shipments', 'nats-server', 'postgres']));
    // The headline runs on durable settings, read back from the server.
    expect(valueAt(report, 'settings.durability.postgres')).toMatchObject({ fsync: 'on', synchronousCommit: 'on', durable: true });
    // Every order costs at least its own POST's transaction, and events both ways.
    const cost = report['costPerOrder'] as Record<string, number>;
    expect(cost['transactions']).toBeGreaterThanOrEqual(1);
    expect(cost['statements']).toBeGreaterThan(cost['transactions']!);
    expect(cost['databaseRoundTrips']).toBeGreaterThan(cost['transactions']!);
    expect(cost['eventsPublished']).toBeGreaterThanOrEqual(1);
    expect(cost['messagesConsumed']).toBeGreaterThan(0);
  });

  it('runs the transport mode and reports every field', async () => {
    const report = await benchReport(path.join(dir, 'transport'), ['--mode', 'transport', '--orders', '500', '--rounds', '1']);
    expect(TRANSPORT_FIELDS.filter((field) => valueAt(report, field) === undefined)).toEqual([]);
    expect(report).toMatchObject({ formatVersion: 1, mode: 'transport' });
  });
});
