import { DeadLetterStatus, OrderState, TERMINAL_ORDER_STATES } from '#contracts';
import { REDELIVERY_CONSUMER, type DatabaseFacts } from './database-facts.js';
import type { DeadLetterSummary, DeadLetterVerdict } from './dead-letters.js';
import type { InjectionReport } from './duplicate-injection.js';
import type { OrderView } from './orders-client.js';

/** One verdict of the demo, with the reasons when it failed. */
export interface Check {
  name: string;
  passed: boolean;
  problems: string[];
}

const HAPPY_PATH = [
  OrderState.CREATED,
  OrderState.RESERVED,
  OrderState.PAYMENT_PENDING,
  OrderState.PAID,
  OrderState.SHIPMENT_PREPARED,
  OrderState.SHIPPED,
] as const;

/** Every way into CANCELLING: from any state before SHIPPED. */
const CANCEL_REQUESTED = [1, 2, 3, 4, 5].map((n) => [...HAPPY_PATH.slice(0, n), OrderState.CANCELLING]);

/** The only ways an order may have travelled to each end state. */
const EXPECTED_PATHS: Readonly<Record<string, readonly (readonly OrderState[])[]>> = {
  [OrderState.SHIPPED]: [
    HAPPY_PATH,
    // Cancelled too late (once paid): the carrier had the parcel, shipments refused, nothing was refunded.
    ...CANCEL_REQUESTED.slice(3).map((path) => [...path, OrderState.SHIPPED]),
  ],
  [OrderState.FAILED]: [[OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.FAILED]],
  [OrderState.CANCELLED]: CANCEL_REQUESTED.map((path) => [...path, OrderState.CANCELLED]),
  // Short of stock: nothing was held, charged or shipped.
  [OrderState.REJECTED]: [[OrderState.CREATED, OrderState.REJECTED]],
};

export function isTerminal(order: Pick<OrderView, 'state'>): boolean {
  return TERMINAL_ORDER_STATES.includes(order.state);
}

/** What historyProblems needs of an order: the API's view has it, and so do the chaos tests' database reads. */
export type OrderWithHistory = Pick<OrderView, 'state' | 'version' | 'failureReason'> & {
  history: ReadonlyArray<Pick<OrderView['history'][number], 'from' | 'to' | 'version'>>;
};

/**
 * What is wrong with an order's history, if anything. A duplicate that got
 * through would show here as a repeated transition or a version gap; a lost
 * update as a broken chain (a `from` that is not the previous `to`).
 */
export function historyProblems(order: OrderWithHistory): string[] {
  const problems: string[] = [];
  const { history } = order;
  if (history.length === 0) return ['history is empty'];
  const first = history[0]!;
  if (first.from !== null || first.to !== OrderState.CREATED || first.version !== 1) {
    problems.push(`history starts with ${first.from ?? '∅'}→${first.to} v${first.version}, not ∅→CREATED v1`);
  }
  const seen = new Set<string>();
  history.forEach((entry, index) => {
    const transition = `${entry.from ?? '∅'}→${entry.to}`;
    if (seen.has(transition)) problems.push(`transition ${transition} recorded twice`);
    seen.add(transition);
    if (index === 0) return;
    const previous = history[index - 1]!;
    if (entry.version <= previous.version) problems.push(`version ${entry.version} after ${previous.version} is not increasing`);
    if (entry.from !== previous.to) problems.push(`${transition} does not follow ${previous.to}`);
  });
  const last = history[history.length - 1]!;
  if (last.to !== order.state) problems.push(`history ends in ${last.to} but the order is ${order.state}`);
  if (last.version !== order.version) problems.push(`history ends at v${last.version} but the order is at v${order.version}`);
  const path = history.map((entry) => entry.to).join(',');
  const expected = EXPECTED_PATHS[order.state];
  if (expected && !expected.some((states) => states.join(',') === path)) {
    problems.push(`path ${path} is not a legal way to ${order.state}`);
  }
  if ((order.state === OrderState.FAILED || order.state === OrderState.REJECTED) && !order.failureReason) problems.push(`${order.state} without a failureReason`);
  return problems;
}

/** Orders that reached a terminal state with a correct history: the demo's headline number. */
export function countProcessed(orders: readonly OrderView[]): number {
  return orders.filter((order) => isTerminal(order) && historyProblems(order).length === 0).length;
}

export function checkAllTerminal(orders: readonly OrderView[], expected: number): Check {
  const problems = orders.filter((order) => !isTerminal(order)).map((order) => `${order.id} is still ${order.state}`);
  if (orders.length !== expected) problems.push(`${orders.length} orders placed, ${expected} expected`);
  return check('every order reached a terminal state', problems);
}

export function checkHistories(orders: readonly OrderView[]): Check {
  return check(
    'every history has strictly increasing versions and no repeated transition',
    orders.flatMap((order) => historyProblems(order).map((problem) => `${order.id}: ${problem}`)),
  );
}

/** What a FAILED order's failureReason says when the gateway kept failing until the last delivery. */
export const GATEWAY_UNAVAILABLE = 'gateway_unavailable';

/** An order FAILED because its payment was given up after the last delivery (not declined). */
export function failedByGateway(order: Pick<OrderView, 'state' | 'failureReason'>): boolean {
  return order.state === OrderState.FAILED && (order.failureReason ?? '').includes(GATEWAY_UNAVAILABLE);
}

/** The status an order's payment must have, given how the order ended (CANCELLED: see CANCELLED_PAYMENT_STATUSES). */
export function expectedPaymentStatus(order: Pick<OrderView, 'state' | 'failureReason'>): string | undefined {
  if (order.state === OrderState.SHIPPED) return 'SUCCEEDED';
  if (order.state === OrderState.FAILED) return failedByGateway(order) ? 'FAILED' : 'DECLINED';
  return undefined;
}

/**
 * A cancelled order's payment: refunded, or never charged (voided before the
 * charge, declined, given up). Never SUCCEEDED: nobody stays charged for it.
 */
export const CANCELLED_PAYMENT_STATUSES: readonly string[] = ['REFUNDED', 'CANCELLED', 'DECLINED', 'FAILED'];

/** What is wrong with an order's payment status, given how the order ended, if anything. */
export function paymentProblem(order: Pick<OrderView, 'state' | 'failureReason'>, status: string): string | undefined {
  const expected = expectedPaymentStatus(order);
  if (expected && status !== expected) return `${order.state} (${order.failureReason ?? 'no reason'}) but its payment is ${status}`;
  if (order.state === OrderState.CANCELLED && !CANCELLED_PAYMENT_STATUSES.includes(status)) return `CANCELLED but its payment is ${status}`;
  return undefined;
}

/**
 * How many shipment rows an order must have: one when it was paid (shipped or
 * on its way) or CANCELLED (shipments records every cancellation it accepts,
 * whether or not a parcel was prepared), none otherwise.
 */
export function expectedShipmentCount(order: Pick<OrderView, 'state'>, paid: boolean): number {
  return paid || order.state === OrderState.CANCELLED ? 1 : 0;
}

/** The status of an ended order's one shipment: DISPATCHED when SHIPPED, CANCELLED when CANCELLED. */
export function expectedShipmentStatus(order: Pick<OrderView, 'state'>): string | undefined {
  if (order.state === OrderState.SHIPPED) return 'DISPATCHED';
  if (order.state === OrderState.CANCELLED) return 'CANCELLED';
  return undefined;
}

/** How many payment rows an order must have: none when it was REJECTED (never charged), else one. */
export function expectedPaymentCount(order: Pick<OrderView, 'state'>): number {
  return order.state === OrderState.REJECTED ? 0 : 1;
}

/** Exactly one payment per order that was not rejected, settled the way the order ended; none for a rejected one. */
export function checkPayments(orders: readonly OrderView[], facts: DatabaseFacts): Check {
  const problems: string[] = [];
  let expectedRows = 0;
  for (const order of orders) {
    const statuses = facts.paymentsByOrder.get(order.id) ?? [];
    const expected = expectedPaymentCount(order);
    expectedRows += expected;
    if (statuses.length !== expected) {
      problems.push(`${order.id}: ${statuses.length} payments for a ${order.state} order`);
      continue;
    }
    const problem = statuses.length === 1 ? paymentProblem(order, statuses[0]!) : undefined;
    if (problem) problems.push(`${order.id} is ${problem}`);
  }
  if (facts.totalPayments !== expectedRows) problems.push(`${facts.totalPayments} payment rows for ${expectedRows} orders that were not rejected`);
  return check('exactly one payment per order that was not rejected, none for a rejected one', problems);
}

/**
 * Money was kept exactly for the orders that shipped: as many SUCCEEDED
 * payments as SHIPPED orders (a refunded payment is REFUNDED, not SUCCEEDED).
 */
export function checkPaidOrders(orders: readonly OrderView[], facts: DatabaseFacts): Check {
  const succeeded = [...facts.paymentsByOrder.values()].flat().filter((status) => status === 'SUCCEEDED').length;
  const shipped = orders.filter((order) => order.state === OrderState.SHIPPED).length;
  return check(
    `payments SUCCEEDED = paid (SHIPPED) orders: ${succeeded} = ${shipped}`,
    succeeded === shipped ? [] : [`${succeeded} payments SUCCEEDED but ${shipped} orders SHIPPED`],
  );
}

/** Exactly the dead letters the run deserved (see dead-letters.ts), as listed by the REST API. */
export function checkDeadLetters(verdict: DeadLetterVerdict, expectedWhat: string): Check {
  return check(`dead letters: exactly ${expectedWhat} (${verdict.actual} listed, ${verdict.expected} expected)`, verdict.problems);
}

/** Exactly one shipment per paid or cancelled order, none for the others, each in the status its order's end requires. */
export function checkShipments(orders: readonly OrderView[], facts: DatabaseFacts): Check {
  const problems: string[] = [];
  let expectedRows = 0;
  for (const order of orders) {
    const wasPaid = (facts.paymentsByOrder.get(order.id) ?? []).includes('SUCCEEDED');
    const statuses = facts.shipmentsByOrder.get(order.id) ?? [];
    const expected = expectedShipmentCount(order, wasPaid);
    const status = expectedShipmentStatus(order);
    expectedRows += expected;
    if (statuses.length !== expected) {
      problems.push(`${order.id}: ${statuses.length} shipments for a${wasPaid ? ' paid' : 'n unpaid'} ${order.state} order`);
    } else if (status && statuses[0] !== status) {
      problems.push(`${order.id} is ${order.state} but its shipment is ${statuses[0]}`);
    }
  }
  if (facts.totalShipments !== expectedRows) problems.push(`${facts.totalShipments} shipment rows for ${expectedRows} paid or cancelled orders`);
  return check('exactly one shipment per paid or cancelled order', problems);
}

/**
 * Each injected duplicate was recognised at the level it was injected at.
 * (c): an orders.created re-sent under a new msg id reaches inventory twice
 * (REDELIVERY_CONSUMER), and one of the two deliveries applies it. The other
 * is skipped by the inbox, or, when its own deliveries ran out first (a
 * SIGKILL took them) while its twin applied the event, is dead-lettered RESOLVED.
 */
export function checkInjectedDuplicates(report: InjectionReport, facts: DatabaseFacts, deadLetters: readonly DeadLetterSummary[]): Check[] {
  const resolvedEvents = new Set(
    deadLetters
      .filter((d) => d.status === DeadLetterStatus.RESOLVED && d.consumer === REDELIVERY_CONSUMER.durable && d.eventId)
      .map((d) => d.eventId!),
  );
  return [
    check(
      `(a) ${report.httpRetries.length} HTTP retries returned the same order (Idempotent-Replayed: true)`,
      report.httpRetries
        .filter(({ result }) => !result.sameOrder || !result.replayedHeader)
        .map(({ orderId, result }) => `${orderId}: same order ${result.sameOrder}, replayed header ${result.replayedHeader} (HTTP ${result.status})`),
    ),
    check(
      `(b) ${report.sameMsgId.length} republishes with the same Nats-Msg-Id were answered duplicate=true`,
      report.sameMsgId
        .filter(({ ack, originalSeq }) => !ack.duplicate || ack.seq !== originalSeq)
        .map(({ orderId, ack, originalSeq }) => `${orderId}: duplicate=${ack.duplicate}, seq ${ack.seq} (original ${originalSeq})`),
    ),
    check(
      `(c) ${report.newMsgId.length} redeliveries with a new Nats-Msg-Id were skipped by the inventory inbox, or dead-lettered RESOLVED ` +
        `where their twin applied the event (skipped: ${facts.inventoryInboxDuplicates} there, ${facts.allInboxDuplicates} by all consumers; ` +
        `resolved: ${report.newMsgId.filter(({ eventId }) => resolvedEvents.has(eventId) && !facts.inventoryDuplicatesByEvent.has(eventId)).length})`,
      [
        ...report.newMsgId.filter(({ ack }) => ack.duplicate).map(({ orderId }) => `${orderId}: the server dropped it, so it never reached the consumer`),
        ...report.newMsgId
          .filter(({ eventId }) => !facts.inventoryDuplicatesByEvent.has(eventId) && !resolvedEvents.has(eventId))
          .map(({ orderId, eventId }) => `${orderId}: event ${eventId} was neither skipped by the inventory inbox nor dead-lettered RESOLVED`),
      ],
    ),
  ];
}

function check(name: string, problems: string[]): Check {
  return { name, passed: problems.length === 0, problems };
}
