import { Injectable } from '@nestjs/common';
import type { OrderState } from '#contracts';
import { PrismaService, type Prisma, type TransactionClient } from '#database';
import type { OrderPageDto, OrderViewDto } from './http/order-view.dto.js';

const withDetails = {
  lines: { orderBy: { position: 'asc' } },
  history: { orderBy: { version: 'asc' } },
} satisfies Prisma.OrderInclude;

type OrderWithDetails = Prisma.OrderGetPayload<{ include: typeof withDetails }>;

export interface OrderFilter {
  state?: OrderState;
  customerId?: string;
  limit: number;
  cursor?: string;
}

/** Reads orders as the API shows them. */
@Injectable()
export class OrderViews {
  constructor(private readonly prisma: PrismaService) {}

  async find(orderId: string, db: TransactionClient | PrismaService = this.prisma): Promise<OrderViewDto | null> {
    const order = await db.order.findUnique({ where: { id: orderId }, include: withDetails });
    return order ? toView(order) : null;
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

export function toView(order: OrderWithDetails): OrderViewDto {
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
    failureReason: order.failureReason,
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
