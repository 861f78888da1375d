import type { Shipment, ShipmentStatus } from '#database';
import { canonicalUuid, inKeyOrder, rowsByUuid, type BatchQuery } from '#messaging';

/*
 * The statements shipments runs for every order (shipments.shipments), in
 * plain SQL on SqlDatabase, for the reason orders-api's order-rows.ts gives.
 * Rows come back as Prisma's Shipment type. The BatchQueries serve every
 * unit of work of a batch in one statement (see UnitOfWork).
 */

const TABLE = '"shipments"."shipments"';

const SHIPMENT_COLUMNS = `id::text, order_id::text AS "orderId", payment_id AS "paymentId", status, warehouse,
  tracking_number AS "trackingNumber", carrier, version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewShipment {
  id: string;
  orderId: string;
  paymentId: string | null;
  status: ShipmentStatus;
  warehouse: string;
}

/** The shipment of each order (null: none yet), for a batch. */
export const shipmentsOfOrders = rowsByUuid<Shipment>(
  'shipments of orders',
  `SELECT ${SHIPMENT_COLUMNS} FROM ${TABLE} WHERE order_id = ANY($1::uuid[])`,
  (row) => row.orderId,
);

/** The shipments by id (null: none), for a batch. */
export const shipmentsById = rowsByUuid<Shipment>('shipments by id', `SELECT ${SHIPMENT_COLUMNS} FROM ${TABLE} WHERE id = ANY($1::uuid[])`, (row) => row.id);

/**
 * insertShipmentIfNone for a batch, in one statement: per new shipment the
 * inserted row, or null when its order had one (or an earlier input of the
 * same statement took the order).
 */
export const insertShipmentsIfNone: BatchQuery<NewShipment, Shipment | null> = {
  name: 'insert shipments if none',
  async run(tx, shipments) {
    const rows = await tx.$queryRawUnsafe<Shipment[]>(
      `INSERT INTO ${TABLE} (id, order_id, payment_id, status, warehouse, updated_at)
       SELECT id, order_id, payment_id, status::"shipments"."ShipmentStatus", warehouse, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS s (id, order_id, payment_id, status, warehouse)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING ${SHIPMENT_COLUMNS}`,
      shipments.map((s) => s.id),
      shipments.map((s) => s.orderId),
      shipments.map((s) => s.paymentId),
      shipments.map((s) => s.status),
      shipments.map((s) => s.warehouse),
    );
    // By the new row's id, so only the input that won its order gets the row.
    return inKeyOrder(shipments.map((s) => canonicalUuid(s.id)), rows, (row) => row.id, null);
  },
};

/** A shipment's version-checked move to a new status (and carrier and tracking number): false when another writer changed it first. */
export interface ShipmentChange {
  id: string;
  version: number;
  status: ShipmentStatus;
  trackingNumber: string | null;
  carrier: string | null;
}

export const changeShipments: BatchQuery<ShipmentChange, boolean> = {
  name: 'change shipments',
  async run(tx, changes) {
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE ${TABLE} s
          SET status = c.status::"shipments"."ShipmentStatus", tracking_number = coalesce(c.tracking_number, s.tracking_number),
              carrier = coalesce(c.carrier, s.carrier), version = s.version + 1, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[]) AS c (id, version, status, tracking_number, carrier)
        WHERE s.id = c.id AND s.version = c.version
        RETURNING s.id::text`,
      changes.map((c) => c.id),
      changes.map((c) => c.version),
      changes.map((c) => c.status),
      changes.map((c) => c.trackingNumber),
      changes.map((c) => c.carrier),
    );
    const changed = new Set(rows.map((row) => row.id));
    return changes.map((c) => changed.has(canonicalUuid(c.id)));
  },
};
