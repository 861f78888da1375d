import type { NatsConnection } from '@nats-io/transport-node';
import { InventoryCommitted, InventoryReleased, OrderState, Streams } from '#contracts';
import type { OrderFact, PipelineFacts, ProductStock, ReservationFact, StockLine } from './facts.js';
import { readEvents } from './messages.js';

/**
 * The inventory invariants every chaos scenario keeps: stock is never
 * oversold, and every reservation is released or committed exactly once.
 * Judged from inventory's tables, orders-api's order lines and the
 * settlements the INVENTORY stream holds, never from what the test placed.
 */

/** One inventory.committed or inventory.released as stored in the INVENTORY stream. */
export interface SettlementEvent {
  type: string;
  eventId: string;
  reservationId: string;
}

/** The settlements in the INVENTORY stream by order, read with ordered (ephemeral) consumers. */
export async function readSettlements(nc: NatsConnection): Promise<Map<string, SettlementEvent[]>> {
  const byOrder = new Map<string, SettlementEvent[]>();
  for (const { subject } of [InventoryCommitted, InventoryReleased]) {
    for (const { envelope } of await readEvents(nc, Streams.INVENTORY.name, subject)) {
      const { orderId, reservationId } = envelope.payload as { orderId: string; reservationId: string };
      byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), { type: envelope.type, eventId: envelope.id, reservationId }]);
    }
  }
  return byOrder;
}

export interface InventoryVerdict {
  /** A product below zero, reserving more than it holds, or holding other than its start stock minus the units shipped. */
  stock: string[];
  /** A reservation not settled as its order ended, a settlement missing or in the stream twice, units held for no open order. */
  reservations: string[];
}

/** How each order's reservation must stand, given how the order ended (or where it was expected to stop). */
const RESERVATION_FOR: Partial<Record<OrderState, readonly string[]>> = {
  [OrderState.SHIPPED]: ['COMMITTED'],
  [OrderState.FAILED]: ['RELEASED'],
  // CANCELLED: the cancellation reached inventory before its orders.created, so nothing was ever held.
  [OrderState.CANCELLED]: ['RELEASED', 'CANCELLED'],
  [OrderState.REJECTED]: ['REJECTED'],
  // Stopped short (a hung charge): still held, neither released nor committed.
  [OrderState.RESERVED]: ['RESERVED'],
  [OrderState.PAYMENT_PENDING]: ['RESERVED'],
  [OrderState.PAID]: ['RESERVED'],
  [OrderState.SHIPMENT_PREPARED]: ['RESERVED'],
};

/** The one settlement event a reservation's status must have left in the stream. */
const SETTLED_BY: Record<string, string | undefined> = { COMMITTED: InventoryCommitted.type, RELEASED: InventoryReleased.type };

export function evaluateInventory(
  facts: PipelineFacts,
  startStock: readonly ProductStock[],
  settlements: ReadonlyMap<string, readonly SettlementEvent[]>,
): InventoryVerdict {
  const reservations: string[] = [];
  const shipped = new Map<string, number>();
  const held = new Map<string, number>();
  for (const order of facts.orders.values()) {
    const lines = facts.orderLines.get(order.id) ?? [];
    if (order.state === OrderState.SHIPPED) addUnits(shipped, lines);
    const reservation = facts.reservations.get(order.id);
    if (reservation?.status === 'RESERVED') addUnits(held, reservation.lines);
    reservations.push(...reservationProblems(order, lines, reservation, settlements.get(order.id) ?? []).map((problem) => `order ${order.id}: ${problem}`));
  }
  for (const [orderId, events] of settlements) {
    if (!facts.orders.has(orderId)) reservations.push(`${events.map((e) => e.type).join(', ')} in ${Streams.INVENTORY.name} for order ${orderId}, which does not exist`);
  }

  const stock: string[] = [];
  const start = new Map(startStock.map((product) => [product.sku, product.onHand]));
  for (const product of facts.products) {
    const { sku, onHand, reserved } = product;
    if (onHand < 0 || reserved < 0 || reserved > onHand) stock.push(`${sku}: ${reserved} reserved of ${onHand} on hand (oversold)`);
    const expected = (start.get(sku) ?? 0) - (shipped.get(sku) ?? 0);
    if (!start.has(sku)) stock.push(`${sku} was not in the catalog when the run started`);
    else if (onHand !== expected) stock.push(`${sku}: ${onHand} on hand, but ${start.get(sku)} at the start minus ${shipped.get(sku) ?? 0} shipped is ${expected}`);
    if (reserved !== (held.get(sku) ?? 0)) reservations.push(`${sku}: ${reserved} reserved, but RESERVED reservations hold ${held.get(sku) ?? 0}`);
  }
  const now = new Set(facts.products.map((product) => product.sku));
  for (const sku of start.keys()) if (!now.has(sku)) stock.push(`${sku} was in the catalog at the start and is gone`);
  for (const sku of shipped.keys()) if (!now.has(sku)) stock.push(`${sku} was shipped but is not in the catalog`);
  return { stock, reservations };
}

function reservationProblems(order: OrderFact, lines: readonly StockLine[], reservation: ReservationFact | undefined, events: readonly SettlementEvent[]): string[] {
  const expected = RESERVATION_FOR[order.state];
  const problems: string[] = [];
  if (!reservation) {
    if (expected) problems.push(`${order.state} but inventory has no reservation`);
    return problems;
  }
  if (expected && !expected.includes(reservation.status)) problems.push(`${order.state} but its reservation is ${reservation.status}, not ${expected.join(' or ')}`);
  // What was held (or asked for, when rejected) is what the order asked for; a reservation cancelled before it was opened holds nothing.
  if (reservation.status !== 'CANCELLED' && unitsText(reservation.lines) !== unitsText(lines)) {
    problems.push(`its reservation is for ${unitsText(reservation.lines)}, the order for ${unitsText(lines)}`);
  }
  const settledBy = SETTLED_BY[reservation.status];
  const wanted = settledBy ? [settledBy] : [];
  const types = events.map((event) => event.type).sort();
  if (types.join(',') !== wanted.join(',')) {
    problems.push(`reservation ${reservation.status}, and ${Streams.INVENTORY.name} holds ${types.length ? types.join(', ') : 'no settlement'} (expected ${wanted.length ? `one ${wanted[0]}` : 'none'})`);
  }
  for (const event of events) {
    if (event.reservationId !== reservation.id) problems.push(`${event.type} ${event.eventId} names reservation ${event.reservationId}, not ${reservation.id}`);
  }
  return problems;
}

function addUnits(totals: Map<string, number>, lines: readonly StockLine[]): void {
  for (const { sku, quantity } of lines) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
}

/** Lines as units per SKU, in a canonical text: an order naming a SKU twice is held as one line. */
function unitsText(lines: readonly StockLine[]): string {
  const totals = new Map<string, number>();
  addUnits(totals, lines);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([sku, n]) => `${n} ${sku}`).join(', ') || 'nothing';
}
