import { UsageError, integer, parseOptions } from '../../cli/src/command-line.js';

export type BenchMode = 'pipeline' | 'transport';

export interface BenchArgs {
  mode: BenchMode;
  /** Orders to place at most (pipeline) or messages to publish and consume (transport). */
  count: number;
  /**
   * Pipeline mode: place orders for this long (closed or open loop), so the
   * count grows with the speed; undefined when --orders fixes the count.
   */
  durationSeconds: number | undefined;
  /** Closed loop: at most this many POSTs in flight. Ignored when `rate` is set. */
  concurrency: number;
  /** Open loop: offer this many orders per second, whatever the answers take. */
  rate: number | undefined;
  /** Repeats of each transport measurement; the report keeps the median. */
  rounds: number;
  /** Seconds each PostgreSQL commit-rate connection runs. */
  pgSeconds: number;
  /** Measure the raw-client and PostgreSQL baselines (pipeline mode). */
  baselines: boolean;
  /** Where the JSON report goes. */
  outDir: string;
  /** How long to wait for the last order to reach its final state. */
  timeoutMs: number;
  /** Use running services instead of starting the stack (all three or none). */
  apiUrl: string | undefined;
  /** ORDERS_API_KEY, for running services. */
  apiKey: string | undefined;
  natsUrl: string | undefined;
  databaseUrl: string | undefined;
  /** Also write the services' output to this directory. */
  logDir: string | undefined;
  /** Run each service under `node --cpu-prof`, profiles written to this directory. */
  cpuProfDir: string | undefined;
  /** Extra environment for every started service (tuning experiments: pool sizes, concurrency). */
  serviceEnv: Record<string, string>;
  /** Start PostgreSQL without fsync and synchronous commit (faster, loses commits in a crash): not the headline. */
  unsafeFast: boolean;
  quick: boolean;
}

/**
 * The default pipeline run places orders for 30 s, however fast the machine:
 * long enough that start-up and the last stragglers weigh little, and a
 * sustained rate is what is measured. --orders N places exactly N instead;
 * --quick is a smoke run of a few seconds.
 */
export const DEFAULTS = { durationSeconds: 30, concurrency: 32, rounds: 3, pgSeconds: 5, timeoutSeconds: 300 } as const;
/** With a duration, at most this many orders (the load driver's bound, far above what 30 s give here). */
export const MAX_ORDERS_PER_RUN = 1_000_000;
export const QUICK = { count: 100, rounds: 1, pgSeconds: 1, transportCount: 2_000 } as const;
/** The transport alone is much faster than the pipeline: more messages for a stable rate. */
export const TRANSPORT_DEFAULT_COUNT = 20_000;

export const USAGE = `Usage: npm run bench -- [options]

Drives orders through the public HTTP API of the whole pipeline (NATS
JetStream, PostgreSQL and the three services, started locally unless given
by URL), verifies every order, and reports throughput, latencies, per-stage
rates, CPU and memory, next to raw JetStream and PostgreSQL baselines
measured in the same run. Writes bench-results/<timestamp>.json.

Options:
  --mode M             pipeline (default) or transport: the JetStream transport
                       alone (libs/jetstream publisher and Nest server) against
                       the raw @nats-io/jetstream client
  --duration S         place orders for S seconds (default ${DEFAULTS.durationSeconds}), so the
                       count grows with the speed
  --orders N           place exactly N orders instead; in transport mode,
                       messages (default ${TRANSPORT_DEFAULT_COUNT})
  --concurrency C      POSTs in flight at once (closed loop; default ${DEFAULTS.concurrency})
  --rate R             offer R orders per second instead (open loop; latency
                       counts from the moment each POST was due)
  --rounds K           transport mode: repeat each measurement K times and
                       report the median (default ${DEFAULTS.rounds})
  --pg-seconds S       how long the PostgreSQL commit-rate baseline runs (default ${DEFAULTS.pgSeconds})
  --no-baselines       skip the raw JetStream and PostgreSQL baselines
  --quick              a smoke run: ${QUICK.count} orders (${QUICK.transportCount} messages), 1 round, 1 s baseline
  --out DIR            where the JSON report goes (default bench-results)
  --timeout SECONDS    how long to wait for the last order (default ${DEFAULTS.timeoutSeconds})
  --api-url URL        use running services: orders-api's base URL, with an
                       API key that may place orders in ORDERS_API_KEY; needs
  --nats-url URL       the NATS server they use, and
  --database-url URL   their database (no CPU/memory figures for processes
                       the bench did not start)
  --log-dir DIR        also write each started service's output to DIR
  --cpu-prof DIR       run each service under node --cpu-prof, profiles in DIR
  --service-env K=V    set K=V in every started service's environment, e.g.
                       DATABASE_POOL_SIZE=20 or CONSUMER_CONCURRENCY=8 (repeatable)
  --unsafe-fast        start PostgreSQL with fsync, synchronous_commit and
                       full_page_writes off, as the tests do (the default is
                       durable: every commit on disk before it is answered)
  -h, --help           show this help
`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs | 'help' {
  const values = parseOptions(argv, {
    mode: { type: 'string', default: 'pipeline' },
    orders: { type: 'string' },
    duration: { type: 'string' },
    concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
    rate: { type: 'string' },
    rounds: { type: 'string' },
    'pg-seconds': { type: 'string' },
    'no-baselines': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results' },
    timeout: { type: 'string', default: String(DEFAULTS.timeoutSeconds) },
    'api-url': { type: 'string' },
    'nats-url': { type: 'string' },
    'database-url': { type: 'string' },
    'log-dir': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'service-env': { type: 'string', multiple: true, default: [] },
    'unsafe-fast': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  const mode = values.mode;
  if (mode !== 'pipeline' && mode !== 'transport') throw new UsageError(`--mode must be pipeline or transport, got "${mode}"`);
  const quick = values.quick;
  if (values.orders !== undefined && values.duration !== undefined) throw new UsageError('--orders and --duration go alone: a fixed count, or a time');
  // Pipeline mode runs for a time unless a count is given (--orders, or --quick's).
  const timed = mode === 'pipeline' && values.orders === undefined && (values.duration !== undefined || !quick);
  const defaultCount = mode === 'transport' ? (quick ? QUICK.transportCount : TRANSPORT_DEFAULT_COUNT) : timed ? MAX_ORDERS_PER_RUN : QUICK.count;
  const running = [values['api-url'], values['nats-url'], values['database-url']];
  if (running.some(Boolean) && !running.every(Boolean) && mode === 'pipeline') {
    throw new UsageError('--api-url, --nats-url and --database-url go together (running services), or none of them');
  }
  // From the environment, not an option: a key on the command line shows in every process list.
  const apiKey = process.env['ORDERS_API_KEY'];
  if (values['api-url'] && mode === 'pipeline' && !apiKey) throw new UsageError('--api-url needs ORDERS_API_KEY: a key with the orders:place and orders:read scopes');
  return {
    mode,
    count: values.orders === undefined ? defaultCount : integer('--orders', values.orders, 1),
    durationSeconds: timed ? (values.duration === undefined ? DEFAULTS.durationSeconds : positive('--duration', values.duration)) : undefined,
    concurrency: integer('--concurrency', values.concurrency, 1),
    rate: values.rate === undefined ? undefined : positive('--rate', values.rate),
    rounds: values.rounds === undefined ? (quick ? QUICK.rounds : DEFAULTS.rounds) : integer('--rounds', values.rounds, 1),
    pgSeconds: values['pg-seconds'] === undefined ? (quick ? QUICK.pgSeconds : DEFAULTS.pgSeconds) : positive('--pg-seconds', values['pg-seconds']),
    baselines: !values['no-baselines'],
    outDir: values.out,
    timeoutMs: integer('--timeout', values.timeout, 1) * 1_000,
    apiUrl: values['api-url'],
    apiKey,
    natsUrl: values['nats-url'],
    databaseUrl: values['database-url'],
    logDir: values['log-dir'],
    cpuProfDir: values['cpu-prof'],
    serviceEnv: Object.fromEntries(values['service-env'].map(keyValue)),
    unsafeFast: values['unsafe-fast'],
    quick,
  };
}

function keyValue(raw: string): [string, string] {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(raw);
  if (!match) throw new UsageError(`--service-env must look like NAME=value, got "${raw}"`);
  return [match[1]!, match[2]!];
}

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got "${raw}"`);
  return value;
}
