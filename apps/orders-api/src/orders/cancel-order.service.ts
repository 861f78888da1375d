import { Injectable } from '@nestjs/common';
import { PrismaService, withVersionRetry } from '#database';
import { causedByRequest } from '#messaging';
import type { OrderViewDto } from './http/order-view.dto.js';
import { OrderTransitionsService } from './order-transitions.service.js';
import { OrderViews } from './order-views.js';

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
}

/** The customer cancels an order that has not been paid yet. */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transitions: OrderTransitionsService,
    private readonly views: OrderViews,
  ) {}

  cancel(orderId: string, reason: string | undefined, correlationId?: string): Promise<OrderViewDto> {
    // A payment event may update the order at the same moment: re-read and decide again.
    return withVersionRetry(() =>
      this.prisma.$transaction(async (tx) => {
        const decision = await this.transitions.transition(tx, {
          orderId,
          trigger: 'CANCEL',
          cause: causedByRequest(correlationId),
          reason: reason ?? 'cancelled by customer',
        });
        if (decision.kind !== 'apply') {
          throw new IllegalTransitionError(`order ${orderId} cannot be cancelled in state ${decision.from}`);
        }
        return (await this.views.find(orderId, tx))!;
      }),
    );
  }
}
