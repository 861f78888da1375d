import pg from 'pg';
import { Consumers } from '#contracts';

/**
 * The consumer that an orders.created delivered again under a new msg id
 * (duplicate level c) reaches with an effect: inventory, which would hold the
 * stock twice (and so let payments charge twice) if its inbox did not skip it.
 */
export const REDELIVERY_CONSUMER = Consumers.inventoryOnOrderCreated;

/**
 * What the payments and shipments services recorded, read straight from their
 * tables. The API shows only the orders service's view; exactly-once has to be
 * checked where the side effects are.
 */
export interface DatabaseFacts {
  /** Payment rows per order id, with their statuses. */
  paymentsByOrder: Map<string, string[]>;
  /** Shipment rows per order id, with their statuses. */
  shipmentsByOrder: Map<string, string[]>;
  /** Rows in payments.payments and shipments.shipments, whatever order they belong to. */
  totalPayments: number;
  totalShipments: number;
  /** Redeliveries REDELIVERY_CONSUMER (inventory's consumer of orders.created) recognised and skipped. */
  inventoryInboxDuplicates: number;
  /** The same, summed over every consumer of every service. */
  allInboxDuplicates: number;
  /** Per event id, the deliveries REDELIVERY_CONSUMER skipped (only events with one or more). */
  inventoryDuplicatesByEvent: Map<string, number>;
}

export async function readDatabaseFacts(databaseUrl: string): Promise<DatabaseFacts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const payments = await client.query<{ order_id: string; status: string }>(
      'SELECT order_id::text, status::text FROM payments.payments',
    );
    const shipments = await client.query<{ order_id: string; status: string }>(
      'SELECT order_id::text, status::text FROM shipments.shipments',
    );
    const duplicates = await client.query<{ consumer: string; duplicates: string }>(
      `SELECT consumer, sum(duplicates)::text AS duplicates FROM (
         SELECT consumer, duplicates FROM orders.inbox_events
         UNION ALL SELECT consumer, duplicates FROM payments.inbox_events
         UNION ALL SELECT consumer, duplicates FROM shipments.inbox_events
         UNION ALL SELECT consumer, duplicates FROM inventory.inbox_events
         UNION ALL SELECT consumer, duplicates FROM analytics.inbox_events
       ) AS inboxes GROUP BY consumer`,
    );
    const perConsumer = new Map(duplicates.rows.map((row) => [row.consumer, Number(row.duplicates)]));
    const byEvent = await client.query<{ event_id: string; duplicates: number }>(
      'SELECT event_id::text, duplicates FROM inventory.inbox_events WHERE consumer = $1 AND duplicates > 0',
      [REDELIVERY_CONSUMER.durable],
    );
    return {
      paymentsByOrder: groupStatuses(payments.rows),
      shipmentsByOrder: groupStatuses(shipments.rows),
      totalPayments: payments.rowCount ?? 0,
      totalShipments: shipments.rowCount ?? 0,
      inventoryInboxDuplicates: perConsumer.get(REDELIVERY_CONSUMER.durable) ?? 0,
      allInboxDuplicates: [...perConsumer.values()].reduce((sum, n) => sum + n, 0),
      inventoryDuplicatesByEvent: new Map(byEvent.rows.map((row) => [row.event_id, row.duplicates])),
    };
  } finally {
    await client.end();
  }
}

function groupStatuses(rows: Array<{ order_id: string; status: string }>): Map<string, string[]> {
  const byOrder = new Map<string, string[]>();
  for (const row of rows) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), row.status]);
  return byOrder;
}
