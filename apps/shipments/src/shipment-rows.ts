import { updateAtVersion, type Shipment, type ShipmentStatus, type SqlClient } from '#database';

/*
 * The statements shipments runs for every order (shipments.shipments), in
 * plain SQL on SqlDatabase, for the reason orders-api's order-rows.ts gives.
 * Rows come back as Prisma's Shipment type.
 */

const TABLE = '"shipments"."shipments"';

const SHIPMENT_COLUMNS = `id, order_id AS "orderId", payment_id AS "paymentId", status, warehouse,
  tracking_number AS "trackingNumber", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function findShipment(db: SqlClient, shipmentId: string): Promise<Shipment> {
  const [shipment] = await db.$queryRawUnsafe<Shipment[]>(`SELECT ${SHIPMENT_COLUMNS} FROM ${TABLE} WHERE id = $1::uuid`, shipmentId);
  if (!shipment) throw new Error(`shipment ${shipmentId} not found`);
  return shipment;
}

export async function findShipmentOfOrder(db: SqlClient, orderId: string): Promise<Shipment | null> {
  const [shipment] = await db.$queryRawUnsafe<Shipment[]>(`SELECT ${SHIPMENT_COLUMNS} FROM ${TABLE} WHERE order_id = $1::uuid`, orderId);
  return shipment ?? null;
}

export interface NewShipment {
  id: string;
  orderId: string;
  paymentId: string | null;
  status: ShipmentStatus;
  warehouse: string;
}

/**
 * Inserts the order's shipment unless the order has one already (the unique
 * order id): the new shipment, or null when there was one.
 */
export async function insertShipmentIfNone(tx: SqlClient, shipment: NewShipment): Promise<Shipment | null> {
  const [inserted] = await tx.$queryRawUnsafe<Shipment[]>(
    `INSERT INTO ${TABLE} (id, order_id, payment_id, status, warehouse, updated_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, now())
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${SHIPMENT_COLUMNS}`,
    shipment.id,
    shipment.orderId,
    shipment.paymentId,
    shipment.status,
    shipment.warehouse,
  );
  return inserted ?? null;
}

/** Version-checked update of one shipment; 0 when another writer changed it first. */
export function updateShipment(
  tx: SqlClient,
  shipment: Pick<Shipment, 'id' | 'version'>,
  changes: { status: ShipmentStatus; trackingNumber?: string },
): Promise<number> {
  const { status, trackingNumber } = changes;
  return updateAtVersion(tx, TABLE, shipment, trackingNumber === undefined ? { status } : { status, tracking_number: trackingNumber });
}
