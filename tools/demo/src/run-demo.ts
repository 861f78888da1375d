import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startPipeline, type Pipeline } from '#local-infra';
import type { DemoArgs } from './args.js';
import { emptyInjectionReport, injectStreamDuplicates } from './duplicate-injection.js';
import { OrdersClient, type OrderView } from './orders-client.js';
import { placeOrders } from './place-orders.js';
import { renderOrdersTable } from './table.js';
import {
  checkAllTerminal,
  checkHistories,
  checkInjectedDuplicates,
  checkPayments,
  checkShipments,
  countProcessed,
  isTerminal,
  type Check,
} from './verification.js';
import { factsAfterRedeliveries, waitUntilAllTerminal } from './waiting.js';

/** How long the relay may take to publish an orders.created we want to duplicate. */
const EVENT_LOOKUP_TIMEOUT_MS = 30_000;
/** How long injected redeliveries may take to be consumed once every order is terminal. */
const REDELIVERY_SETTLE_TIMEOUT_MS = 30_000;

export interface DemoOutcome {
  /** Orders that reached a terminal state with a correct history. */
  processed: number;
  passed: boolean;
}

/** Lets main.ts stop the pipeline on Ctrl-C while the demo is still running. */
export interface DemoRun {
  pipeline?: Pipeline;
}

/**
 * The demo from start to finish: start the pipeline, place the orders and
 * inject duplicates, wait, print the table and the verdicts. Everything it
 * starts is stopped before it returns or throws.
 */
export async function runDemo(args: DemoArgs, log: (line: string) => void, run: DemoRun = {}): Promise<DemoOutcome> {
  let nc: NatsConnection | undefined;
  try {
    const runId = randomBytes(4).toString('hex');
    const pipeline = await startPipeline({
      // Unique per run: on a shared server (DATABASE_URL) two demos must not drop each other's database.
      databaseName: `order_pipeline_demo_${runId}`,
      paymentSuccessRate: args.successRate,
      paymentSeed: args.seed,
      logDir: args.logDir,
      onProgress: log,
    });
    run.pipeline = pipeline;
    nc = await connect({ servers: pipeline.natsUrl, name: 'order-pipeline-demo' });
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const client = new OrdersClient(pipeline.apiUrl);
    const report = emptyInjectionReport();

    const placed = await placeOrders(client, { ...args, runId }, report, log);
    const duplicated = placed.filter((order) => order.duplicated).map((order) => order.placed.order.id);
    if (duplicated.length > 0) {
      log(`injecting duplicates into JetStream for ${duplicated.length} orders: same Nats-Msg-Id (b) and new Nats-Msg-Id (c)...`);
      await injectStreamDuplicates(js, duplicated, report, EVENT_LOOKUP_TIMEOUT_MS);
    }

    const ids = placed.map((order) => order.placed.order.id);
    log(`waiting up to ${args.timeoutMs / 1_000} s for every order to reach a terminal state...`);
    const wait = await waitUntilAllTerminal(client, ids, args.timeoutMs, (terminal, total) => log(`waiting: ${terminal}/${total} terminal`));
    const orders: OrderView[] = wait.orders;

    log('');
    log(renderOrdersTable(orders, new Set(duplicated)));
    log('');
    log(`final states: ${summariseStates(orders)}`);

    const facts = await factsAfterRedeliveries(jsm, pipeline.databaseUrl, report.newMsgId.length, REDELIVERY_SETTLE_TIMEOUT_MS);
    const checks: Check[] = [
      checkAllTerminal(orders, args.orders),
      checkHistories(orders),
      checkPayments(orders, facts),
      checkShipments(orders, facts),
      ...(duplicated.length > 0 ? checkInjectedDuplicates(report, facts) : []),
    ];
    if (wait.timedOut) {
      log(`TIMEOUT: after ${args.timeoutMs / 1_000} s, ${orders.filter((order) => !isTerminal(order)).length} of ${orders.length} orders were not terminal yet`);
    }
    printChecks(checks, log);
    return { processed: countProcessed(orders), passed: !wait.timedOut && checks.every((c) => c.passed) };
  } finally {
    await nc?.close().catch(() => undefined);
    if (run.pipeline) {
      log('stopping services, NATS and PostgreSQL...');
      await run.pipeline.stop();
    }
  }
}

function summariseStates(orders: readonly OrderView[]): string {
  const counts = new Map<string, number>();
  for (const order of orders) counts.set(order.state, (counts.get(order.state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
}

function printChecks(checks: readonly Check[], log: (line: string) => void): void {
  for (const check of checks) {
    log(`${check.passed ? 'PASS' : 'FAIL'}  ${check.name}`);
    for (const problem of check.problems.slice(0, 10)) log(`        ${problem}`);
    if (check.problems.length > 10) log(`        ... and ${check.problems.length - 10} more`);
  }
}
