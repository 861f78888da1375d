import { z } from 'zod';
import { byOrder, defineEvent } from '../define-event.js';
import { orderLineSchema } from './orders.js';

// Events owned by the inventory service, published on its INVENTORY stream.
// Two kinds: the reservation of one order's stock (ordered by order, as every
// event of the saga), and the stock of one product (ordered by SKU, so a
// consumer sees a SKU's changes in the order they happened).

const cents = z.int().nonnegative();
const units = z.int().nonnegative();
const sku = orderLineSchema.shape.sku;

/** A line held for an order: the SKU and how many units. */
export const reservedLineSchema = z.object({ sku, quantity: z.int().positive() });

/** Stock events are about one product: a consumer must see its changes in order. */
const bySku = (payload: { sku: string }): string => `sku:${payload.sku}`;

export const InventoryReserved = defineEvent({
  type: 'inventory.reserved',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description:
    'Every line of a new order is held in stock (reserved, not yet taken off the shelf); the order is RESERVED and payments ' +
    'charges it. Carries what the charge needs, so payments does not have to join it with orders.created.',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    customerId: z.string().min(1),
    currency: z.string().length(3),
    /** The order's total as orders-api priced it: the amount payments charges. */
    totalCents: cents,
    lines: z.array(reservedLineSchema).min(1),
  }),
});

export const InventoryRejected = defineEvent({
  type: 'inventory.rejected',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description:
    'A new order asked for more than is available of at least one SKU (or for a SKU not in the catalog): nothing is held, ' +
    'the order is REJECTED with the SKUs that were short. A business outcome, not a failure; nothing is charged.',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    /** Every line that could not be held: what was asked and what was available (0 for a SKU not in the catalog). */
    shortages: z
      .array(z.object({ sku, requested: z.int().positive(), available: units, known: z.boolean() }))
      .min(1),
  }),
});

export const InventoryReleased = defineEvent({
  type: 'inventory.released',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description:
    "An order's reservation was given back to stock: its payment failed or was voided, or the order was cancelled before " +
    'shipping (compensation of inventory.reserved). Emitted once per reservation.',
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    lines: z.array(reservedLineSchema).min(1),
    /** What released it: payments.failed, payments.voided or shipments.cancelled. */
    cause: z.string().min(1),
  }),
});

export const InventoryCommitted = defineEvent({
  type: 'inventory.committed',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description:
    "An order's shipment was dispatched: its reserved units left the warehouse (on hand goes down by them). Emitted once per reservation.",
  orderingKey: byOrder,
  payload: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    lines: z.array(reservedLineSchema).min(1),
  }),
});

const stockLevel = {
  sku,
  onHand: units,
  reserved: units,
  /** onHand - reserved: what a new order can still reserve. */
  available: units,
  /** The product row's version after the change: a consumer keeps the highest it saw. */
  version: z.int().positive(),
};

export const InventoryUpdated = defineEvent({
  type: 'inventory.updated',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description:
    "A product's stock changed (reservations, releases, dispatches, a restock). One event per product and committed batch, " +
    'carrying the level after it: not one per order.',
  orderingKey: bySku,
  payload: z.object(stockLevel),
});

export const InventoryLowStock = defineEvent({
  type: 'inventory.low-stock',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description:
    "A product's available stock fell to its low-stock threshold or below (once per crossing: it is sent again only after a " +
    'restock lifted it above the threshold).',
  orderingKey: bySku,
  payload: z.object({ ...stockLevel, threshold: units }),
});

export const InventoryOutOfStock = defineEvent({
  type: 'inventory.out-of-stock',
  schemaVersion: 1,
  stream: 'INVENTORY',
  description: "A product's available stock reached zero: new orders for it are rejected until a restock (once per crossing).",
  orderingKey: bySku,
  payload: z.object(stockLevel),
});
