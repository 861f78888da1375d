import { UsageError, integer, parseOptions } from '../../cli/src/command-line.js';

/** Services --kill-worker may kill (tools/local-infra's PIPELINE_SERVICES, spelled here so parsing arguments loads no infrastructure code). */
export const KILLABLE_SERVICES = ['payments', 'shipments', 'orders-api', 'inventory', 'analytics'] as const;
export type KillableService = (typeof KILLABLE_SERVICES)[number];

/**
 * One order in 8 asks for more than there is: exactly one (the 8th) of the
 * default 12, and not one that is also duplicated (every 5th) or placed
 * right after the kill (half-way, order 6), so each is seen on its own.
 */
export const DEFAULT_OUT_OF_STOCK_EVERY = 8;

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
  /** SIGKILL this service once half the orders are placed, and start it again. */
  killWorker: KillableService | undefined;
  /** PAYMENT_GATEWAY_ERROR_RATE: share of charge attempts failing with a transient gateway error. */
  paymentFailureRate: number;
  /** Publish an invalid message on orders.created after every N-th order; 0 disables. */
  poisonEvery: number;
  /** Every N-th order asks for more of a product than there is (it must end REJECTED); 0 disables. */
  outOfStockEvery: number;
  /** After the checks, keep the whole stack running for the web console until Ctrl-C. */
  console: boolean;
}

export const USAGE = `Usage: npm run demo -- [options]

Places orders against the whole pipeline (NATS JetStream, PostgreSQL and the
five services, all started locally), injects duplicates on purpose and
checks that every order was processed exactly once and that the stock of the
products ordered moved exactly as the orders ended.

Options:
  --orders N             orders to place (default 12)
  --duplicate-every K    duplicate every K-th order at three levels: HTTP retry,
                         republish with the same Nats-Msg-Id, and redelivery with
                         a new one (default 5; 0 disables)
  --success-rate R       share of payments the mock gateway captures, 0..1 (default 0.9)
  --seed S               seed of the mock gateway (default order-pipeline-demo)
  --out-of-stock-every N every N-th order asks for one unit more of a product than
                         inventory has on hand (read through its API first), and
                         must end REJECTED naming that SKU (default 8: one order
                         of the default 12; 0 disables)
  --timeout SECONDS      how long to wait for all orders to finish (default 120)
  --log-dir DIR          also write each service's output to DIR/<service>.log
  --console              after the checks, keep the whole stack running and print
                         the URLs of the web console, the API and its Swagger UI
                         with the API keys; Ctrl-C stops everything
  -h, --help             show this help

Failure injection (off by default):
  --kill-worker S        SIGKILL service S (payments, shipments, orders-api, inventory
                         or analytics) once
                         half the orders are placed, and start it again a second
                         later; orders placed meanwhile are retried with their
                         Idempotency-Key until accepted
  --payment-failure-rate R
                         share of charge attempts the gateway fails with a transient
                         error, 0..1 (PAYMENT_GATEWAY_ERROR_RATE; default 0). Retried;
                         an order whose every delivery fails ends FAILED with
                         gateway_unavailable and leaves a dead letter
  --poison-every N       publish an invalid message (not JSON) on orders.created after
                         every N-th order; each must be dead-lettered as invalid
                         (default 0: none)
`;

/** The demo's options, validated; throws UsageError with what is wrong. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs | 'help' {
  const values = parseOptions(argv, {
    orders: { type: 'string', default: '12' },
    'duplicate-every': { type: 'string', default: '5' },
    'success-rate': { type: 'string', default: '0.9' },
    seed: { type: 'string', default: 'order-pipeline-demo' },
    timeout: { type: 'string', default: '120' },
    'log-dir': { type: 'string' },
    'kill-worker': { type: 'string' },
    'payment-failure-rate': { type: 'string', default: '0' },
    'poison-every': { type: 'string', default: '0' },
    'out-of-stock-every': { type: 'string', default: String(DEFAULT_OUT_OF_STOCK_EVERY) },
    console: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  return {
    orders: integer('--orders', values.orders, 1),
    duplicateEvery: integer('--duplicate-every', values['duplicate-every'], 0),
    successRate: fraction('--success-rate', values['success-rate']),
    seed: nonEmpty('--seed', values.seed),
    timeoutMs: integer('--timeout', values.timeout, 1) * 1_000,
    logDir: values['log-dir'],
    killWorker: killable('--kill-worker', values['kill-worker']),
    paymentFailureRate: fraction('--payment-failure-rate', values['payment-failure-rate']),
    poisonEvery: integer('--poison-every', values['poison-every'], 0),
    outOfStockEvery: integer('--out-of-stock-every', values['out-of-stock-every'], 0),
    console: values.console === true,
  };
}

function killable(name: string, raw: string | undefined): KillableService | undefined {
  if (raw === undefined) return undefined;
  if (!(KILLABLE_SERVICES as readonly string[]).includes(raw)) {
    throw new UsageError(`${name} must be one of ${KILLABLE_SERVICES.join(', ')}, got "${raw}"`);
  }
  return raw as KillableService;
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
