import { Injectable } from '@nestjs/common';
import type { OrderState } from '#contracts';
import { PrismaService, SqlDatabase, type Prisma, type SqlClient } from '#database';
import { canonicalUuid, inKeyOrder, type BatchQuery } from '#messaging';
import type { ShippingDto } from './http/order-shipping.dto.js';
import type { OrderPageDto, OrderViewDto } from './http/order-view.dto.js';

const withDetails = {
  lines: { orderBy: { position: 'asc' } },
  history: { orderBy: { version: 'asc' } },
} satisfies Prisma.OrderInclude;

type OrderWithDetails = Prisma.OrderGetPayload<{ include: typeof withDetails }>;

/** Field for field an OrderViewDto; timestamps as PostgreSQL's driver returns them. */
type OrderViewRow = Omit<OrderViewDto, 'createdAt' | 'updatedAt'> & { createdAt: Date | string; updatedAt: Date | string };

// History timestamps are formatted as Date.toISOString() does (UTC, ms), so a
// view read here equals one read through Prisma (list) or stored in the cache.
const VIEW_SQL = `
  SELECT o.id::text, o.customer_id AS "customerId", o.state, o.version, o.currency, o.total_cents AS "totalCents",
         (SELECT coalesce(json_agg(json_build_object(
                   'sku', l.sku, 'quantity', l.quantity,
                   'unitPriceCents', l.unit_price_cents, 'lineTotalCents', l.line_total_cents) ORDER BY l.position), '[]')
            FROM "orders"."order_lines" l WHERE l.order_id = o.id) AS lines,
         o.shipping, o.failure_reason AS "failureReason", o.carrier, o.tracking_number AS "trackingNumber",
         to_char(o.shipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "shippedAt",
         o.created_at AS "createdAt", o.updated_at AS "updatedAt",
         (SELECT coalesce(json_agg(json_build_object(
                   'from', h.from_state, 'to', h.to_state, 'version', h.version, 'reason', h.reason,
                   'occurredAt', to_char(h.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY h.version), '[]')
            FROM "orders"."order_state_changes" h WHERE h.order_id = o.id) AS history
    FROM "orders"."orders" o`;
const FIND_VIEW_SQL = `${VIEW_SQL} WHERE o.id = $1::uuid`;
const FIND_VIEWS_SQL = `${VIEW_SQL} WHERE o.id = ANY($1::uuid[])`;

/**
 * The orders' views for a batch of units of work, in one statement: for the
 * KV mirror, read after the batch's state changes in the same transaction,
 * so the mirror holds exactly what commits.
 */
export const orderViewsById: BatchQuery<string, OrderViewDto | null> = {
  name: 'order views',
  async run(tx, orderIds) {
    const rows = await tx.$queryRawUnsafe<OrderViewRow[]>(FIND_VIEWS_SQL, orderIds);
    return inKeyOrder(orderIds.map(canonicalUuid), rows.map(toDto), (view) => view.id, null);
  },
};

export interface OrderFilter {
  state?: OrderState;
  customerId?: string;
  limit: number;
  cursor?: string;
}

/** Reads orders as the API shows them. */
@Injectable()
export class OrderViews {
  constructor(
    private readonly prisma: PrismaService,
    private readonly db: SqlDatabase,
  ) {}

  /**
   * One statement, lines and history aggregated in PostgreSQL. Plain SQL
   * rather than `findUnique` with `include` (three queries, each planned
   * anew by Prisma's query compiler, see order-rows.ts): this runs for every
   * POST and for most order-state cache refreshes.
   */
  async find(orderId: string, db: SqlClient = this.db): Promise<OrderViewDto | null> {
    const [row] = await db.$queryRawUnsafe<OrderViewRow[]>(FIND_VIEW_SQL, orderId);
    return row ? toDto(row) : null;
  }

  /** Newest first; ids are UUIDv7, so id order is creation order and a stable cursor. */
  async list(filter: OrderFilter): Promise<OrderPageDto> {
    const orders = await this.prisma.order.findMany({
      where: {
        state: filter.state,
        customerId: filter.customerId,
        id: filter.cursor ? { lt: filter.cursor } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit + 1,
      include: withDetails,
    });
    const page = orders.slice(0, filter.limit);
    return {
      items: page.map(toView),
      nextCursor: orders.length > filter.limit ? page[page.length - 1].id : null,
    };
  }
}

function toView(order: OrderWithDetails): OrderViewDto {
  return {
    id: order.id,
    customerId: order.customerId,
    state: order.state,
    version: order.version,
    currency: order.currency,
    totalCents: order.totalCents,
    lines: order.lines.map(({ sku, quantity, unitPriceCents, lineTotalCents }) => ({
      sku,
      quantity,
      unitPriceCents,
      lineTotalCents,
    })),
    // Written by insertOrders from a validated request only, so it has ShippingDto's shape.
    shipping: order.shipping as ShippingDto | null,
    failureReason: order.failureReason,
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    shippedAt: order.shippedAt?.toISOString() ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    history: order.history.map((change) => ({
      from: change.fromState,
      to: change.toState,
      version: change.version,
      reason: change.reason,
      occurredAt: change.occurredAt.toISOString(),
    })),
  };
}

function toDto(row: OrderViewRow): OrderViewDto {
  return { ...row, createdAt: isoString(row.createdAt), updatedAt: isoString(row.updatedAt) };
}

function isoString(timestamp: Date | string): string {
  return new Date(timestamp).toISOString();
}
