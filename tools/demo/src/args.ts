import { parseArgs } from 'node:util';

export interface DemoArgs {
  /** Orders to place. */
  orders: number;
  /** Inject duplicates for every K-th order; 0 disables duplicates. */
  duplicateEvery: number;
  /** PAYMENT_SUCCESS_RATE of the mock gateway: the rest of the orders end FAILED. */
  successRate: number;
  /** PAYMENT_SEED of the mock gateway. */
  seed: string;
  /** How long to wait for every order to reach a terminal state. */
  timeoutMs: number;
  /** Where the services' logs go (kept after the run); none when omitted. */
  logDir: string | undefined;
}

export const USAGE = `Usage: npm run demo -- [options]

Places orders against the whole pipeline (NATS JetStream, PostgreSQL and the
three services, all started locally), injects duplicates on purpose and
checks that every order was processed exactly once.

Options:
  --orders N             orders to place (default 12)
  --duplicate-every K    duplicate every K-th order at three levels: HTTP retry,
                         republish with the same Nats-Msg-Id, and redelivery with
                         a new one (default 5; 0 disables)
  --success-rate R       share of payments the mock gateway captures, 0..1 (default 0.9)
  --seed S               seed of the mock gateway (default order-pipeline-demo)
  --timeout SECONDS      how long to wait for all orders to finish (default 120)
  --log-dir DIR          also write each service's output to DIR/<service>.log
  -h, --help             show this help
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The demo's options, validated; throws UsageError with what is wrong. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        orders: { type: 'string', default: '12' },
        'duplicate-every': { type: 'string', default: '5' },
        'success-rate': { type: 'string', default: '0.9' },
        seed: { type: 'string', default: 'order-pipeline-demo' },
        timeout: { type: 'string', default: '120' },
        'log-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  return {
    orders: integer('--orders', values.orders, 1),
    duplicateEvery: integer('--duplicate-every', values['duplicate-every'], 0),
    successRate: fraction('--success-rate', values['success-rate']),
    seed: nonEmpty('--seed', values.seed),
    timeoutMs: integer('--timeout', values.timeout, 1) * 1_000,
    logDir: values['log-dir'],
  };
}

function integer(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

function fraction(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`${name} must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}

function nonEmpty(name: string, raw: string): string {
  if (raw.trim() === '') throw new UsageError(`${name} must not be empty`);
  return raw;
}
