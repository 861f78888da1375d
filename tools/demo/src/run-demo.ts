import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startPipeline, type ApiEndpoint, type Pipeline } from '#local-infra';
import type { DemoArgs } from './args.js';
import { Consumers, DeadLetterReason, DeadLetterStatus, InventoryReserved, OrderCreated, consumersReading } from '#contracts';
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
import { emptyInjectionReport, injectStreamDuplicates, readOrderEvents } from './duplicate-injection.js';
import { FailureInjection } from './failure-injection.js';
import { OrdersClient, type OrderView } from './orders-client.js';
import { orderedSkus, ordinaryOrderRequests, placeOrders } from './place-orders.js';
import { checkOutOfStock, readStock, renderStockTable, stockAfterOrders, stockUpFor, unitsBySku, type StockLevel } from './stock.js';
import { renderOrdersTable, summariseStates } from './table.js';
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
/** The same for inventory's commits and releases, which follow the shipment or payment that ended the order. */
const STOCK_TIMEOUT_MS = 30_000;
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
  /** Set once the checks are done under --console: the pipeline is left running for the console. */
  keepRunning?: boolean;
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
      env: { 'orders-api': ackWait, payments: ackWait, shipments: ackWait, inventory: ackWait, analytics: ackWait },
      logDir: args.logDir,
      onProgress: log,
    });
    run.pipeline = pipeline;
    nc = await connect({ servers: pipeline.natsUrl, name: 'order-pipeline-demo' });
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const client = new OrdersClient(pipeline.api);
    const report = emptyInjectionReport();

    const stockBefore = await stockBeforeOrders(pipeline.inventory, args, log);

    const faults = new FailureInjection(pipeline, js, args, log);
    const placed = await placeOrders(client, { ...args, runId, inventory: pipeline.inventory }, report, log, (index) => faults.afterOrder(index));
    const outOfStock = new Map(placed.flatMap((order) => (order.outOfStockSku ? [[order.placed.order.id, order.outOfStockSku] as const] : [])));
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
    // (max_deliveries, RESOLVED: the last attempt recorded the failure), known by its inventory.reserved.
    const gatewayFailed = orders.filter(failedByGateway).map((order) => order.id);
    const reservedEvents = await readOrderEvents(js, InventoryReserved, gatewayFailed, EVENT_LOOKUP_TIMEOUT_MS);
    const expectedDeadLetters = [
      // Every consumer that reads the subject terminates the poison and leaves its own dead letter.
      ...faults.poison.flatMap((poison) => consumersReading(poison.subject).map((consumer) => expectPoisonTerminated(poison, consumer.durable))),
      ...gatewayFailed.map((orderId) => expectChargeGivenUp(orderId, reservedEvents.get(orderId)?.eventId, 'gateway_unavailable', true)),
      ...replayed.map(expectReplayed),
    ];
    log(`waiting for the dead letters (${expectedDeadLetters.length} expected), listed through GET /api/v1/dead-letters...`);
    const deadLetters = await waitForDeadLetters(jsm, pipeline.api, expectedDeadLetters, DEAD_LETTER_TIMEOUT_MS);
    printDeadLetters(deadLetters, new Map([...reservedEvents.values()].map((event) => [event.eventId, event.orderId])), log);

    log('waiting for the stock to settle (GET /api/v1/products on the inventory service)...');
    const stock = await stockAfterOrders(pipeline.inventory, stockBefore, orders, STOCK_TIMEOUT_MS);
    if (stock.after) {
      log('stock after (before → after; shipped: units of the SHIPPED orders):');
      log(renderStockTable(stock.after, stockBefore, stock.shipped));
    }

    log('waiting for analytics to count every order (GET /api/v1/analytics, answered by the analytics service through the edge)...');
    const analytics = await analyticsAfterOrders(pipeline.api, orders, ANALYTICS_TIMEOUT_MS);
    if (analytics.figures) for (const line of analyticsLines(analytics.figures)) log(line);

    const checks: Check[] = [
      checkAllTerminal(orders, args.orders),
      checkHistories(orders),
      checkPayments(orders, facts),
      checkPaidOrders(orders, facts),
      checkShipments(orders, facts),
      checkOutOfStock(orders, outOfStock),
      stock.check,
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
    // --console: main.ts keeps the stack for the browser until Ctrl-C.
    run.keepRunning = args.console;
    return { processed: countProcessed(orders), passed: !wait.timedOut && checks.every((c) => c.passed) };
  } finally {
    await nc?.close().catch(() => undefined);
    if (run.pipeline && !run.keepRunning) {
      log('stopping services, NATS and PostgreSQL...');
      await run.pipeline.stop();
    }
  }
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

/**
 * The stock of every product the demo orders, printed, before any order:
 * restocked first (as an operator) where it could not serve every ordinary
 * order of the run, so that only the out-of-stock orders are rejected.
 */
async function stockBeforeOrders(inventory: ApiEndpoint, args: DemoArgs, log: (line: string) => void): Promise<StockLevel[]> {
  const skus = orderedSkus(args);
  const seeded = await readStock(inventory, skus);
  const short = await stockUpFor(inventory, seeded, unitsBySku(ordinaryOrderRequests(args).flatMap((request) => request.lines)));
  if (short.length > 0) log(`restocked through POST /api/v1/products/{sku}/restock: ${short.join(', ')} could not serve ${args.orders} orders`);
  const before = short.length > 0 ? await readStock(inventory, skus) : seeded;
  log('stock before the orders (GET /api/v1/products on the inventory service):');
  log(renderStockTable(before));
  return before;
}

/** The ids of the open max_deliveries dead letters of the charge consumer: charges left undone. */
async function openChargeDeadLetters(api: ApiEndpoint): Promise<string[]> {
  const open = await listDeadLetters(api, { status: DeadLetterStatus.PENDING, reason: DeadLetterReason.MAX_DELIVERIES, consumer: Consumers.paymentsOnInventoryReserved.durable });
  return open.map((deadLetter) => deadLetter.id);
}
