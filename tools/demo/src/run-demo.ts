import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startPipeline, type ApiEndpoint, type Pipeline } from '#local-infra';
import type { DemoArgs } from './args.js';
import { Consumers, DeadLetterReason, DeadLetterStatus, OrderCreated, consumersReading } from '#contracts';
import {
  compareDeadLetters,
  describeDeadLetter,
  expectChargeGivenUp,
  expectPoisonTerminated,
  expectReplayed,
  listDeadLetters,
  replayDeadLetters,
  type DeadLetterSummary,
} from './dead-letters.js';
import { analyticsAfterOrders, analyticsLines } from './analytics-summary.js';
import { emptyInjectionReport, injectStreamDuplicates, readOrderCreatedEvents } from './duplicate-injection.js';
import { FailureInjection } from './failure-injection.js';
import { OrdersClient, type OrderView } from './orders-client.js';
import { placeOrders } from './place-orders.js';
import { renderOrdersTable, shortFailureReason } from './table.js';
import {
  checkAllTerminal,
  checkDeadLetters,
  checkHistories,
  checkInjectedDuplicates,
  checkPaidOrders,
  checkPayments,
  checkShipments,
  countProcessed,
  failedByGateway,
  isTerminal,
  type Check,
} from './verification.js';
import { factsAfterRedeliveries, waitForDeadLetters, waitUntilAllTerminal } from './waiting.js';

/** How long the relay may take to publish an orders.created we want to duplicate. */
const EVENT_LOOKUP_TIMEOUT_MS = 30_000;
/** How long injected redeliveries may take to be consumed once every order is terminal. */
const REDELIVERY_SETTLE_TIMEOUT_MS = 30_000;
/** How long dead letters may take to be recorded once every order is terminal. */
const DEAD_LETTER_TIMEOUT_MS = 30_000;
/** Analytics applies the same events on its own consumers, a moment after orders-api; more than enough to catch up. */
const ANALYTICS_TIMEOUT_MS = 30_000;
/**
 * Consumer ack wait when a worker is killed: what the killed worker had
 * received but not acknowledged is delivered again after this long. The
 * production default (30 s) would work as well; the demo would just wait longer.
 */
const ACK_WAIT_WHEN_KILLING_MS = 10_000;

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
    if (args.killWorker) {
      log(`consumer ack wait ${ACK_WAIT_WHEN_KILLING_MS / 1_000} s (CONSUMER_ACK_WAIT_MS): what the killed worker had not acknowledged comes back after that`);
    }
    const ackWait = args.killWorker ? { CONSUMER_ACK_WAIT_MS: String(ACK_WAIT_WHEN_KILLING_MS) } : {};
    const pipeline = await startPipeline({
      // Unique per run: on a shared server (DATABASE_URL) two demos must not drop each other's database.
      databaseName: `order_pipeline_demo_${runId}`,
      paymentSuccessRate: args.successRate,
      paymentSeed: args.seed,
      paymentGatewayErrorRate: args.paymentFailureRate > 0 ? args.paymentFailureRate : undefined,
      env: { 'orders-api': ackWait, payments: ackWait, shipments: ackWait },
      logDir: args.logDir,
      onProgress: log,
    });
    run.pipeline = pipeline;
    nc = await connect({ servers: pipeline.natsUrl, name: 'order-pipeline-demo' });
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const client = new OrdersClient(pipeline.api);
    const report = emptyInjectionReport();

    const faults = new FailureInjection(pipeline, js, args, log);
    const placed = await placeOrders(client, { ...args, runId }, report, log, (index) => faults.afterOrder(index));
    await faults.settled();
    const duplicated = placed.filter((order) => order.duplicated).map((order) => order.placed.order.id);
    if (duplicated.length > 0) {
      log(`injecting duplicates into JetStream for ${duplicated.length} orders: same Nats-Msg-Id (b) and new Nats-Msg-Id (c)...`);
      await injectStreamDuplicates(js, duplicated, report, EVENT_LOOKUP_TIMEOUT_MS);
    }

    const ids = placed.map((order) => order.placed.order.id);
    log(`waiting up to ${args.timeoutMs / 1_000} s for every order to reach a terminal state...`);
    const progress = (terminal: number, total: number) => log(`waiting: ${terminal}/${total} terminal`);
    let wait = await waitUntilAllTerminal(client, ids, args.timeoutMs, progress, jsm);
    // A charge whose last delivery died with the killed worker is dead-lettered,
    // its order left PAYMENT_PENDING: work left undone. The operator's remedy,
    // done here: replay the open max_deliveries dead letters, then wait again.
    const replayed = wait.stalled ? await openChargeDeadLetters(pipeline.api) : [];
    if (replayed.length > 0) {
      log(`${wait.orders.filter((order) => !isTerminal(order)).length} orders stalled, with ${replayed.length} open max_deliveries dead letters (a charge whose last delivery died with the killed worker): replaying them, as an operator would...`);
      await replayDeadLetters(pipeline.api, replayed);
      wait = await waitUntilAllTerminal(client, ids, args.timeoutMs, progress);
    } else if (wait.stalled) {
      wait = { ...wait, timedOut: true };
    }
    const orders: OrderView[] = wait.orders;

    log('');
    log(renderOrdersTable(orders, new Set(duplicated)));
    log('');
    log(`final states: ${summariseStates(orders)}`);

    const facts = await factsAfterRedeliveries(jsm, pipeline.databaseUrl, report.newMsgId.length, REDELIVERY_SETTLE_TIMEOUT_MS);

    // The dead letters this run deserved: one per poison message and consumer that reads it (invalid, open
    // work), one per order whose charge was given up after the last delivery
    // (max_deliveries, RESOLVED: the last attempt recorded the failure).
    const gatewayFailed = orders.filter(failedByGateway).map((order) => order.id);
    const createdEvents = gatewayFailed.length > 0 ? await readOrderCreatedEvents(js, gatewayFailed, EVENT_LOOKUP_TIMEOUT_MS) : new Map();
    const expectedDeadLetters = [
      // Every consumer that reads the subject terminates the poison and leaves its own dead letter.
      ...faults.poison.flatMap((poison) => consumersReading(poison.subject).map((consumer) => expectPoisonTerminated(poison, consumer.durable))),
      ...gatewayFailed.map((orderId) => expectChargeGivenUp(orderId, createdEvents.get(orderId)?.eventId, 'gateway_unavailable', true)),
      ...replayed.map(expectReplayed),
    ];
    log(`waiting for the dead letters (${expectedDeadLetters.length} expected), listed through GET /api/v1/dead-letters...`);
    const deadLetters = await waitForDeadLetters(jsm, pipeline.api, expectedDeadLetters, DEAD_LETTER_TIMEOUT_MS);
    printDeadLetters(deadLetters, new Map([...createdEvents.values()].map((event) => [event.eventId, event.orderId])), log);

    log('waiting for analytics to count every order (GET /api/v1/analytics on the analytics service)...');
    const analytics = await analyticsAfterOrders({ url: pipeline.serviceUrls.analytics, key: pipeline.api.key }, orders, ANALYTICS_TIMEOUT_MS);
    if (analytics.figures) for (const line of analyticsLines(analytics.figures)) log(line);

    const checks: Check[] = [
      checkAllTerminal(orders, args.orders),
      checkHistories(orders),
      checkPayments(orders, facts),
      checkPaidOrders(orders, facts),
      checkShipments(orders, facts),
      checkDeadLetters(
        compareDeadLetters(deadLetters, expectedDeadLetters),
        expectedDeadLetters.length === 0
          ? 'none (no poison message, no order FAILED with gateway_unavailable)'
          : `one per poison message and consumer reading it (${faults.poison.length} × ${consumersReading(OrderCreated.subject).length}, invalid) and one per order FAILED with gateway_unavailable (${gatewayFailed.length}, max_deliveries, RESOLVED), no other open one`,
      ),
      ...(duplicated.length > 0 ? checkInjectedDuplicates(report, facts, deadLetters) : []),
      analytics.check,
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
  const reasons = new Map<string, number>();
  for (const order of orders) {
    counts.set(order.state, (counts.get(order.state) ?? 0) + 1);
    const reason = shortFailureReason(order.failureReason);
    if (order.state === 'FAILED' && reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return [...counts]
    .map(([state, count]) => `${count} ${state}${state === 'FAILED' && reasons.size > 0 ? ` (${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ')})` : ''}`)
    .join(', ');
}

function printDeadLetters(deadLetters: readonly DeadLetterSummary[], orderByEventId: ReadonlyMap<string, string>, log: (line: string) => void): void {
  if (deadLetters.length === 0) {
    log('dead letters: none');
    return;
  }
  log(`dead letters (${deadLetters.length}), oldest first:`);
  for (const deadLetter of [...deadLetters].reverse()) {
    const orderId = deadLetter.eventId ? orderByEventId.get(deadLetter.eventId) : undefined;
    const about = orderId ? ` -> order …${orderId.slice(-8)}` : deadLetter.originalSubject === OrderCreated.subject && !deadLetter.eventId ? ' -> poison' : '';
    log(`  ${describeDeadLetter(deadLetter)}${about}`);
  }
}

function printChecks(checks: readonly Check[], log: (line: string) => void): void {
  for (const check of checks) {
    log(`${check.passed ? 'PASS' : 'FAIL'}  ${check.name}`);
    for (const problem of check.problems.slice(0, 10)) log(`        ${problem}`);
    if (check.problems.length > 10) log(`        ... and ${check.problems.length - 10} more`);
  }
}

/** The ids of the open max_deliveries dead letters of the charge consumer: charges left undone. */
async function openChargeDeadLetters(api: ApiEndpoint): Promise<string[]> {
  const open = await listDeadLetters(api, { status: DeadLetterStatus.PENDING, reason: DeadLetterReason.MAX_DELIVERIES, consumer: Consumers.paymentsOnInventoryReserved.durable });
  return open.map((deadLetter) => deadLetter.id);
}
