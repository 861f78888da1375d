import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commonEnvSchema } from '#config';
import { PIPELINE_SERVICES, startPipeline, withClient as withDatabase, type ApiEndpoint, type Pipeline, type PipelineServiceName } from '#local-infra';
import { JetStreamDefaults, encodeEnvelope } from '#jetstream';
import type { BenchArgs } from './args.js';
import { measurePostgresCommits, measureRawJetStream } from './baselines.js';
import { CostMeter } from './cost-budget.js';
import { readDurability } from './durability.js';
import { driveOrders } from './load-driver.js';
import { readTableRows, readTimings, verifyOrders, waitForFinalStates } from './pipeline-facts.js';
import { ProcessSampler, canSampleProcesses, type ProcessTarget } from './process-sampler.js';
import { progressBar } from './progress.js';
import type { PipelineReport } from './report.js';
import { sampleOrderCreatedEnvelopes } from './sample-events.js';
import { ratePerSecond, ratio, round, summarize } from './stats.js';

/**
 * The pipeline benchmark: orders through the public API of the whole stack,
 * every one verified, timed from the services' own timestamps, with the
 * servers' raw rates measured afterwards on the same servers.
 */

/** Orders placed (and finished) before the measured run: JIT, pools and consumers warm up. */
const WARMUP_ORDERS = 50;
const QUICK_WARMUP_ORDERS = 20;
const RAW_MESSAGES = 20_000;
const QUICK_RAW_MESSAGES = 2_000;

type Log = (line: string) => void;
type PipelineResult = Omit<PipelineReport, 'formatVersion' | 'startedAt' | 'finishedAt' | 'command' | 'machine' | 'targets' | 'passed'>;

interface Endpoints {
  api: ApiEndpoint;
  natsUrl: string;
  databaseUrl: string;
  pipeline?: Pipeline;
}

export async function runPipelineBench(args: BenchArgs, log: Log): Promise<PipelineResult> {
  const endpoints = await openEndpoints(args, log);
  try {
    return await measure(args, endpoints, log);
  } finally {
    if (endpoints.pipeline) {
      log('stopping the pipeline...');
      await endpoints.pipeline.stop();
    }
  }
}

async function openEndpoints(args: BenchArgs, log: Log): Promise<Endpoints> {
  if (args.apiUrl && args.natsUrl && args.databaseUrl) {
    log(`using running services: API ${args.apiUrl}, NATS ${args.natsUrl}`);
    return { api: { url: args.apiUrl, key: args.apiKey ?? '' }, natsUrl: args.natsUrl, databaseUrl: args.databaseUrl };
  }
  const pipeline = await startPipeline({
    databaseName: `order_pipeline_bench_${randomBytes(4).toString('hex')}`,
    // Headline figures on durable settings: every commit flushed before it is answered.
    postgres: { durability: args.unsafeFast ? 'fast-unsafe' : 'durable', statementStatistics: true },
    logDir: args.logDir,
    nodeArgs: args.cpuProfDir ? cpuProfileArgs(args.cpuProfDir) : undefined,
    env: Object.fromEntries(PIPELINE_SERVICES.map((name) => [name, args.serviceEnv])),
    // Stock for a soak of 200,000 orders (each takes one FILTER-PAPER-100): no bench order is rejected for want of it.
    stockPerProduct: 1_000_000,
    onProgress: log,
  });
  return { api: pipeline.api, natsUrl: pipeline.natsUrl, databaseUrl: pipeline.databaseUrl, pipeline };
}

/** Each service writes a V8 CPU profile when it exits (open it in Chrome DevTools or speedscope). */
function cpuProfileArgs(dir: string): Partial<Record<PipelineServiceName, string[]>> {
  const absolute = path.resolve(dir);
  return Object.fromEntries(
    PIPELINE_SERVICES.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${absolute}`, `--cpu-prof-name=${name}.cpuprofile`]]),
  );
}

async function measure(args: BenchArgs, endpoints: Endpoints, log: Log): Promise<PipelineResult> {
  const runId = randomBytes(4).toString('hex');
  const warmup = args.quick ? QUICK_WARMUP_ORDERS : WARMUP_ORDERS;
  log(`warming up with ${warmup} orders...`);
  const warm = await driveOrders({ api: endpoints.api, count: warmup, concurrency: Math.min(args.concurrency, 16), runId: `${runId}w` });
  await withDatabase(endpoints.databaseUrl, (client) => waitForFinalStates(client, warm.orderIds, args.timeoutMs));

  const sampler = new ProcessSampler(canSampleProcesses() ? await processTargets(endpoints) : []);
  const how = args.rate ? `offered at ${args.rate} orders/s` : `${args.concurrency} in flight`;
  const { load, ...facts } = await withDatabase(endpoints.databaseUrl, async (client) => {
    // Only for a stack the bench started: it knows every service's /metrics then.
    const cost = endpoints.pipeline ? new CostMeter(client, Object.values(endpoints.pipeline.serviceUrls)) : undefined;
    await cost?.start();
    const durationMs = args.durationSeconds === undefined ? undefined : args.durationSeconds * 1_000;
    log(durationMs === undefined ? `placing ${args.count} orders (${how})...` : `placing orders for ${args.durationSeconds} s (${how})...`);
    sampler.start();
    const placing = durationMs === undefined ? progressBar('placing orders', args.count) : progressBar('placing orders (s)', args.durationSeconds!);
    const startedAt = Date.now();
    const onAnswer = durationMs === undefined ? placing.update : () => placing.update(Math.min(args.durationSeconds!, Math.floor((Date.now() - startedAt) / 1_000)));
    const load = await driveOrders({ api: endpoints.api, count: args.count, durationMs, concurrency: args.concurrency, rate: args.rate, runId, onAnswer });
    placing.stop();
    log(`${load.orderIds.length} orders accepted, ${load.shed} refused with 503 (overload), ${load.failures} POSTs failed; waiting for their final states...`);
    const waiting = progressBar('final states', load.orderIds.length);
    await waitForFinalStates(client, load.orderIds, args.timeoutMs, waiting.update);
    waiting.stop();
    const processes = sampler.finish(load.orderIds.length);
    const verification = await verifyOrders(client, load.orderIds);
    const timings = await readTimings(client, load.orderIds, new Date(load.firstPostAt), { from: load.firstPostAt, to: load.lastAnswerAt });
    if (cost) log('reading the cost per order (PostgreSQL reports its counters within about 10 s)...');
    const costPerOrder = cost ? await cost.finish(verification.placed, timings.stages.relayPublishes.count, processes) : null;
    const durability = await readDurability(client, endpoints.pipeline?.nats.monitorUrl);
    const tableRows = await readTableRows(client);
    return { load, processes, verification, timings, costPerOrder, durability, tableRows };
  });

  const baselines = args.baselines ? await measureBaselines(args, endpoints, log) : null;
  const { timings, processes, verification, costPerOrder, durability, tableRows } = facts;
  const spanMs = timings.lastFinalAt - load.firstPostAt;
  // Only orders that reached a final state consistent with their payment count.
  const ordersPerSecond = ratePerSecond(verification.verified, spanMs);
  const cpuTotal = processes.reduce((sum, p) => sum + p.cpuSecondsPer1000, 0);
  return {
    mode: 'pipeline',
    settings: {
      orders: facts.verification.placed,
      durationSeconds: args.durationSeconds ?? null,
      concurrency: args.rate ? null : args.concurrency,
      offeredRatePerSecond: args.rate ?? null,
      startedStack: Boolean(endpoints.pipeline),
      serviceEnv: args.serviceEnv,
      durability,
    },
    throughput: {
      ordersPerSecond,
      orders: verification.placed,
      spanMs: round(spanMs),
      firstPostAt: new Date(load.firstPostAt).toISOString(),
      lastFinalAt: new Date(timings.lastFinalAt).toISOString(),
      postsPerSecond: ratePerSecond(load.orderIds.length + load.shed + load.failures, load.lastAnswerAt - load.firstPostAt),
    },
    verification: { ...verification, passed: verification.passed && load.failures === 0, postFailures: load.failures, postFailureSamples: load.failureSamples },
    admission: {
      offered: load.orderIds.length + load.shed + load.failures,
      accepted: load.orderIds.length,
      shed: load.shed,
      failed: load.failures,
      refusalLatencyMs: load.shed > 0 ? summarize(load.shedLatenciesMs) : null,
    },
    latencyMs: { post: summarize(load.postLatenciesMs), pipeline: timings.pipelineLatencyMs },
    sustained: timings.sustained,
    tableRows,
    stages: timings.stages,
    processes,
    cpuSecondsPer1000Orders: { total: round(cpuTotal), byProcess: Object.fromEntries(processes.map((p) => [p.name, p.cpuSecondsPer1000])) },
    costPerOrder,
    baselines,
    ratios: {
      relayPublishVsRawPublish: baselines ? (ratio(timings.stages.relayPublishes.perSecond, baselines.jetstream.publishPerSecond) ?? null) : null,
      consumedVsRawConsumeAck: baselines ? (ratio(timings.stages.eventsConsumed.perSecond, baselines.jetstream.consumeAckPerSecond) ?? null) : null,
      ordersVsPostgresCommits: baselines ? (ratio(ordersPerSecond, baselines.postgres.commitsPerSecond) ?? null) : null,
    },
  };
}

async function measureBaselines(args: BenchArgs, endpoints: Endpoints, log: Log): Promise<NonNullable<PipelineResult['baselines']>> {
  const messages = args.quick ? QUICK_RAW_MESSAGES : RAW_MESSAGES;
  log(`baseline: raw JetStream client, ${messages} messages...`);
  const jetstream = await measureRawJetStream(endpoints.natsUrl, {
    messages,
    // A real orders.created as the body, so message sizes match the pipeline's.
    body: encodeEnvelope(sampleOrderCreatedEnvelopes(1)[0]!),
    inFlight: JetStreamDefaults.maxPublishesInFlight,
    pullBatch: JetStreamDefaults.pullBatch,
    stream: 'BENCH_RAW',
  });
  // As many connections as the services' pools hold together.
  const poolSize = args.serviceEnv['DATABASE_POOL_SIZE'] ?? process.env['DATABASE_POOL_SIZE'];
  const connections = PIPELINE_SERVICES.length * commonEnvSchema.shape.DATABASE_POOL_SIZE.parse(poolSize);
  log(`baseline: PostgreSQL single-row commits from ${connections} connections for ${args.pgSeconds} s...`);
  const postgres = await measurePostgresCommits(endpoints.databaseUrl, connections, args.pgSeconds);
  return { jetstream, postgres };
}

/** The services, NATS and PostgreSQL (postmaster and backends) the bench started. */
async function processTargets(endpoints: Endpoints): Promise<ProcessTarget[]> {
  const targets: ProcessTarget[] = [];
  const { pipeline } = endpoints;
  // Running services given by URL may be anywhere: only what the bench started is sampled.
  if (!pipeline) return targets;
  for (const name of PIPELINE_SERVICES) {
    const pid = pipeline.services[name].pid;
    if (pid) targets.push({ name, pid });
  }
  if (pipeline.nats.pid) targets.push({ name: 'nats-server', pid: pipeline.nats.pid });
  // A backend's parent is the postmaster, for an embedded server and a local system one alike.
  // Read while the connection is open: its backend exits with it.
  const postmaster = await withDatabase(endpoints.databaseUrl, async (client) => {
    const backend = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return parentPid(backend.rows[0]!.pid);
  });
  if (postmaster) targets.push({ name: 'postgres', pid: postmaster, group: true });
  return targets;
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || undefined;
  } catch {
    return undefined; // not on this machine
  }
}
