import { canonicalUuid, rowsByUuid, type BatchQuery } from '#messaging';
import type { Shortage, StockLine } from '../stock/stock-moves.js';

/*
 * The inventory.reservations table: one row per order, for every unit of work
 * of a batch in one statement each (see UnitOfWork in libs/messaging).
 */

const TABLE = '"inventory"."reservations"';

export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED' | 'COMMITTED' | 'CANCELLED';

export interface ReservationRow {
  id: string;
  orderId: string;
  status: ReservationStatus;
  lines: StockLine[];
  version: number;
}

const COLUMNS = `id::text, order_id::text AS "orderId", status::text, lines, version`;

/**
 * The reservation of each order (null: none yet), locked: the events of one
 * order that arrive on different consumers (created, cancelled, failed,
 * dispatched) take turns on it.
 */
export const reservationsOfOrders = rowsByUuid<ReservationRow>(
  'reservations of orders',
  `SELECT ${COLUMNS} FROM ${TABLE} WHERE order_id = ANY($1::uuid[]) FOR UPDATE`,
  (row) => row.orderId,
);

export interface NewReservation {
  id: string;
  orderId: string;
  status: Extract<ReservationStatus, 'RESERVED' | 'REJECTED' | 'CANCELLED'>;
  lines: readonly StockLine[];
  shortages: readonly Shortage[] | null;
  settledBy: string | null;
}

/** Opens each order's reservation; false when the order has one already (another consumer's event opened it after our read: a lost race). */
export const insertReservations: BatchQuery<NewReservation, boolean> = {
  name: 'insert reservations',
  async run(tx, rows) {
    const inserted = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `INSERT INTO ${TABLE} (id, order_id, status, lines, shortages, settled_by)
       SELECT id, order_id, status::"inventory"."ReservationStatus", lines::jsonb, shortages::jsonb, settled_by
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS r (id, order_id, status, lines, shortages, settled_by)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING id::text`,
      rows.map((row) => row.id),
      rows.map((row) => row.orderId),
      rows.map((row) => row.status),
      rows.map((row) => JSON.stringify(row.lines)),
      rows.map((row) => (row.shortages ? JSON.stringify(row.shortages) : null)),
      rows.map((row) => row.settledBy),
    );
    const ids = new Set(inserted.map((row) => row.id));
    return rows.map((row) => ids.has(canonicalUuid(row.id)));
  },
};

export interface ReservationSettlement {
  id: string;
  /** The version read: the change applies only if the row is still there. */
  version: number;
  status: Extract<ReservationStatus, 'RELEASED' | 'COMMITTED'>;
  settledBy: string;
}

/** Releases or commits each reservation at the version read; false when another writer changed it first. */
export const settleReservations: BatchQuery<ReservationSettlement, boolean> = {
  name: 'settle reservations',
  async run(tx, changes) {
    const updated = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE ${TABLE} t
          SET status = c.status::"inventory"."ReservationStatus", settled_by = c.settled_by, version = t.version + 1, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS c (id, version, status, settled_by)
        WHERE t.id = c.id AND t.version = c.version
        RETURNING t.id::text`,
      changes.map((change) => change.id),
      changes.map((change) => change.version),
      changes.map((change) => change.status),
      changes.map((change) => change.settledBy),
    );
    const changed = new Set(updated.map((row) => row.id));
    return changes.map((change) => changed.has(canonicalUuid(change.id)));
  },
};
