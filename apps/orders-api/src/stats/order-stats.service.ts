import { Injectable } from '@nestjs/common';
import { OrderState, TERMINAL_ORDER_STATES } from '#contracts';
import { Prisma, PrismaService } from '#database';
import type { OrderStatsDto, ThroughputDto, TopProductDto } from './http/order-stats.dto.js';

/**
 * Orders that count as revenue: paid, and not failed or cancelled since.
 * An order's current state decides, so a later refund or cancellation takes
 * it out again.
 */
const REVENUE_STATES: readonly OrderState[] = [OrderState.PAID, OrderState.SHIPMENT_PREPARED, OrderState.SHIPPED];
const TOP = 5;
const THROUGHPUT_WINDOW_SECONDS = 60;

/**
 * Business figures over the orders table, computed by PostgreSQL (aggregates,
 * not rows, leave the database). Read on demand: the numbers are as fresh as
 * the last committed transaction.
 */
@Injectable()
export class OrderStatsService {
  constructor(private readonly prisma: PrismaService) {}

  async stats(): Promise<OrderStatsDto> {
    const [ordersByState, revenue, topCustomers, topProducts, throughput] = await Promise.all([
      this.ordersByState(),
      this.revenue(),
      this.topCustomers(),
      this.topProducts(),
      this.throughput(),
    ]);
    return { ordersByState, revenue, topCustomers, topProducts, throughput };
  }

  private async ordersByState() {
    const groups = await this.prisma.order.groupBy({ by: ['state'], _count: { _all: true } });
    const counts = new Map(groups.map((g) => [g.state as OrderState, g._count._all]));
    return Object.values(OrderState).map((state) => ({ state, orders: counts.get(state) ?? 0 }));
  }

  private async revenue() {
    const groups = await this.prisma.order.groupBy({
      by: ['currency'],
      where: { state: { in: [...REVENUE_STATES] } },
      _count: { _all: true },
      _sum: { totalCents: true },
      orderBy: { currency: 'asc' },
    });
    return groups.map((g) => {
      const revenueCents = g._sum.totalCents ?? 0;
      return {
        currency: g.currency,
        orders: g._count._all,
        revenueCents,
        averageOrderValueCents: Math.round(revenueCents / g._count._all),
      };
    });
  }

  private async topCustomers() {
    const groups = await this.prisma.order.groupBy({
      by: ['customerId', 'currency'],
      where: { state: { in: [...REVENUE_STATES] } },
      _count: { _all: true },
      _sum: { totalCents: true },
      orderBy: [{ _sum: { totalCents: 'desc' } }, { customerId: 'asc' }],
      take: TOP,
    });
    return groups.map((g) => ({
      customerId: g.customerId,
      currency: g.currency,
      orders: g._count._all,
      revenueCents: g._sum.totalCents ?? 0,
    }));
  }

  /** Raw SQL: Prisma's groupBy cannot group lines by a column of their order. */
  private topProducts(): Promise<TopProductDto[]> {
    return this.prisma.$queryRaw<TopProductDto[]>`
      SELECT l.sku, o.currency, sum(l.quantity)::int AS quantity, sum(l.line_total_cents)::int AS "revenueCents"
      FROM orders.order_lines l JOIN orders.orders o ON o.id = l.order_id
      WHERE o.state::text IN (${Prisma.join(REVENUE_STATES)})
      GROUP BY l.sku, o.currency
      ORDER BY quantity DESC, l.sku
      LIMIT ${TOP}`;
  }

  /** By the database's clock, the one that stamped the rows. */
  private async throughput(): Promise<ThroughputDto> {
    const window = THROUGHPUT_WINDOW_SECONDS;
    const [row] = await this.prisma.$queryRaw<Array<{ created: number; completed: number }>>`
      SELECT
        (SELECT count(*)::int FROM orders.orders
          WHERE created_at > now() - ${window} * interval '1 second') AS created,
        (SELECT count(DISTINCT order_id)::int FROM orders.order_state_changes
          WHERE to_state::text IN (${Prisma.join(TERMINAL_ORDER_STATES)})
            AND occurred_at > now() - ${window} * interval '1 second') AS completed`;
    return {
      windowSeconds: window,
      ordersCreated: row.created,
      ordersCompleted: row.completed,
      createdPerSecond: perSecond(row.created, window),
      completedPerSecond: perSecond(row.completed, window),
    };
  }
}

function perSecond(count: number, seconds: number): number {
  return Math.round((count / seconds) * 100) / 100;
}
