import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { PIPELINE_SERVICES, startPipeline, type Pipeline, type PipelineOptions, type PipelineServiceName } from '#local-infra';
import { ServiceTables } from './database.js';

/**
 * One whole pipeline per fuzz file (NATS JetStream, PostgreSQL, the three
 * built services as processes; `npm run build` first), with what a fuzz
 * file needs at hand: the admin NATS connection the tests publish with, and
 * read access to the services' tables.
 */
export interface FuzzPipeline {
  readonly pipeline: Pipeline;
  /** The tests' own connection: publishes hostile messages, reads streams and consumers. */
  readonly nats: NatsConnection;
  readonly tables: ServiceTables;
  stop(): Promise<void>;
}

/** Share of charges the mock gateway captures: the rest are declined, so orders end both ways. */
export const FUZZ_PAYMENT_SUCCESS_RATE = 0.8;

/** `name` names the database (with a random suffix); FUZZ_LOG_DIR keeps the services' logs. */
export async function startFuzzPipeline(name: string, options: PipelineOptions = {}): Promise<FuzzPipeline> {
  const run = randomBytes(4).toString('hex');
  const pipeline = await startPipeline({
    databaseName: `fuzz_${name.replace(/\W/g, '_')}_${run}`,
    paymentSuccessRate: FUZZ_PAYMENT_SUCCESS_RATE,
    paymentSeed: `fuzz-${run}`,
    paymentLatencyMs: 5,
    logDir: process.env['FUZZ_LOG_DIR'] ? `${process.env['FUZZ_LOG_DIR']}/${name}-${run}` : undefined,
    ...options,
  });
  try {
    const nats = await connect({ servers: pipeline.natsUrl, name: `fuzz-${name}` });
    const tables = new ServiceTables(pipeline.databaseUrl);
    return {
      pipeline,
      nats,
      tables,
      async stop() {
        await nats.close().catch(() => undefined);
        await tables.close().catch(() => undefined);
        await pipeline.stop();
      },
    };
  } catch (error) {
    await pipeline.stop().catch(() => undefined);
    throw error;
  }
}

/** How each service is doing: the status of its GET /health (0: no answer), and whether its process ever died. */
export interface ServiceHealth {
  status: number;
  running: boolean;
  unexpectedExits: number;
}

/**
 * A readiness probe fails a service only after this many failures in a row,
 * as the Helm chart's readiness probe does (failureThreshold 3): on a loaded
 * machine one PostgreSQL ping or NATS round trip can miss its 2 s budget,
 * and that single miss is not the harm the fuzzing looks for. Exits and
 * restarts count at once.
 */
const READINESS_FAILURE_THRESHOLD = 3;
const READINESS_RETRY_MS = 1_000;

async function readinessStatus(url: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 0);
    if (status === 200 || attempt === READINESS_FAILURE_THRESHOLD) return status;
    await sleep(READINESS_RETRY_MS);
  }
}

export async function serviceHealth(pipeline: Pipeline): Promise<Record<PipelineServiceName, ServiceHealth>> {
  const entries = await Promise.all(
    PIPELINE_SERVICES.map(async (name) => {
      const status = await readinessStatus(pipeline.serviceUrls[name]);
      const handle = pipeline.services[name];
      return [name, { status, running: handle.running, unexpectedExits: handle.unexpectedExits }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<PipelineServiceName, ServiceHealth>;
}

/** What serviceHealth answers for a healthy pipeline: compare with toEqual, and the diff names the sick service. */
export const ALL_HEALTHY: Record<PipelineServiceName, ServiceHealth> = Object.fromEntries(
  PIPELINE_SERVICES.map((name) => [name, { status: 200, running: true, unexpectedExits: 0 }]),
) as Record<PipelineServiceName, ServiceHealth>;
