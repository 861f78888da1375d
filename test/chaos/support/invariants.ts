import { OrderState } from '#contracts';
import { expectChargeGivenUp, expectPoisonTerminated } from '../../../tools/demo/src/dead-letters.js';
import {
  GATEWAY_UNAVAILABLE,
  failedByGateway,
  historyProblems,
  expectedShipmentCount,
  expectedShipmentStatus,
  isTerminal,
  paymentProblem,
} from '../../../tools/demo/src/verification.js';
import { compareDeadLetters, type DeadLetterSummary, type DeadLetterVerdict, type ExpectedDeadLetter } from './dead-letters.js';
import type { OrderFact, PipelineFacts, ProductStock } from './facts.js';
import { evaluateInventory, type InventoryVerdict, type SettlementEvent } from './inventory.js';
import type { AcceptedOrder } from './load.js';

/**
 * The invariants every chaos scenario must keep, as lists of problems (empty
 * means kept). They are computed from what the services recorded, never from
 * what the test believes it did.
 */

/** The mock gateway's decline; the other legitimate failure is GATEWAY_UNAVAILABLE. */
export const DECLINED = 'card_declined';
export { GATEWAY_UNAVAILABLE };

export interface Verdict extends InventoryVerdict {
  orders: number;
  /** Final states and how many orders are in each, e.g. { SHIPPED: 160, FAILED: 40 }. */
  states: Record<string, number>;
  /** Accepted orders that are missing, or stopped short of a terminal state without being expected to. */
  lost: string[];
  /** An effect that happened twice: a second payment or shipment, a transition recorded twice, an order created twice. */
  doubleApplied: string[];
  /** An end that does not match its facts (SHIPPED without a captured payment, CANCELLED still charged, FAILED without a reason...). */
  inconsistent: string[];
  deadLetters: DeadLetterVerdict;
}

export interface VerdictInput {
  accepted: readonly AcceptedOrder[];
  facts: PipelineFacts;
  deadLetters: readonly DeadLetterSummary[];
  expectedDeadLetters: readonly ExpectedDeadLetter[];
  /** Every product's stock right after the pipeline started (the restock included). */
  startStock: readonly ProductStock[];
  /** The inventory.committed and inventory.released events in the INVENTORY stream, by order. */
  settlements: ReadonlyMap<string, readonly SettlementEvent[]>;
  /** Orders expected to stop short of a terminal state, with the state they must be in. */
  expectedStuck?: ReadonlyMap<string, OrderState>;
}

export function evaluate(input: VerdictInput): Verdict {
  const { accepted, facts } = input;
  const expectedStuck = input.expectedStuck ?? new Map<string, OrderState>();
  const lost: string[] = [];
  const doubleApplied: string[] = [];
  const inconsistent: string[] = [];
  const states: Record<string, number> = {};

  const ids = new Set(accepted.map((order) => order.orderId));
  if (ids.size !== accepted.length) doubleApplied.push(`${accepted.length} orders accepted but only ${ids.size} distinct ids: two keys got one order`);
  // A retried POST must find its first attempt's order, never create another.
  for (const order of facts.orders.values()) {
    if (!ids.has(order.id)) doubleApplied.push(`order ${order.id} (key ${order.idempotencyKey}) is in the database but was never accepted: created twice?`);
  }

  let shipped = 0;
  let succeeded = 0;
  for (const { orderId, idempotencyKey } of accepted) {
    const order = facts.orders.get(orderId);
    if (!order) {
      lost.push(`order ${orderId} (key ${idempotencyKey}) was accepted but is not in the database`);
      continue;
    }
    states[order.state] = (states[order.state] ?? 0) + 1;
    const stuckIn = expectedStuck.get(orderId);
    if (stuckIn !== undefined) {
      if (order.state !== stuckIn) lost.push(`order ${orderId} was expected to stay ${stuckIn} but is ${order.state}`);
    } else if (!isTerminal(order)) {
      lost.push(`order ${orderId} is still ${order.state} (history ${order.history.map((h) => h.to).join(',')})`);
    }

    for (const problem of historyProblems(order)) doubleApplied.push(`order ${orderId}: ${problem}`);
    const causes = order.history.map((entry) => entry.causationId);
    if (new Set(causes).size !== causes.length) doubleApplied.push(`order ${orderId}: one event caused two transitions`);

    const payments = facts.paymentsByOrder.get(orderId) ?? [];
    const shipments = facts.shipmentsByOrder.get(orderId) ?? [];
    if (payments.length !== 1) {
      doubleApplied.push(`order ${orderId} has ${payments.length} payments`);
      continue;
    }
    const payment = payments[0]!;
    const paid = payment.status === 'SUCCEEDED';
    if (paid) succeeded += 1;
    if (order.state === OrderState.SHIPPED) shipped += 1;
    if (shipments.length !== expectedShipmentCount(order, paid)) {
      doubleApplied.push(`order ${orderId} has ${shipments.length} shipments for a${paid ? ' paid' : 'n unpaid'} ${order.state} order`);
    }
    const problem = outcomeProblem(order, payment.status, shipments);
    if (problem) inconsistent.push(`order ${orderId}: ${problem}`);
  }
  if (succeeded !== shipped && lost.length === 0) inconsistent.push(`${succeeded} payments SUCCEEDED but ${shipped} orders SHIPPED`);
  for (const row of facts.repeatedInboxRows) doubleApplied.push(`inbox row recorded twice: ${row}`);

  return {
    orders: accepted.length,
    states,
    lost,
    doubleApplied,
    inconsistent,
    deadLetters: compareDeadLetters(input.deadLetters, input.expectedDeadLetters),
    ...evaluateInventory(facts, input.startStock, input.settlements),
  };
}

/** Each end state with the payment and shipment it must have. */
function outcomeProblem(order: OrderFact, paymentStatus: string, shipments: readonly string[]): string | undefined {
  if (order.state === OrderState.FAILED && !failedByGateway(order) && !order.failureReason?.includes(DECLINED)) {
    return `FAILED for an unexpected reason: ${order.failureReason ?? 'none'}`;
  }
  if (order.state === OrderState.PAYMENT_PENDING && paymentStatus !== 'PENDING') return `PAYMENT_PENDING but its payment is ${paymentStatus}`;
  const problem = paymentProblem(order, paymentStatus);
  if (problem) return problem;
  const shipment = expectedShipmentStatus(order);
  if (shipment && shipments[0] !== shipment) return `${order.state} but its shipment is ${shipments[0] ?? 'missing'}`;
  return undefined;
}

/** Orders whose payment was given up after the last delivery: each must have left one dead letter. */
export function ordersFailedByGateway(facts: PipelineFacts): string[] {
  return [...facts.orders.values()].filter(failedByGateway).map((order) => order.id);
}

/** The dead letter of an order whose charge was given up (see expectChargeGivenUp; `applied`: RESOLVED). */
export function chargeGivenUp(facts: PipelineFacts, orderId: string, why: string, applied: boolean): ExpectedDeadLetter {
  return expectChargeGivenUp(orderId, facts.reservedEventIds.get(orderId), why, applied);
}

export { expectPoisonTerminated as poisonTerminated };
