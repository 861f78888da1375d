import { Module } from '@nestjs/common';
import { ServiceCoreModule } from '#bootstrap';
import { ApiAccessModule, OPERATIONAL_PATHS } from '#http-api';
import { AnalyticsFiguresModule } from './figures/analytics-figures.module.js';
import { OrderCreatedHandler } from './update-order-fact/order-created.handler.js';
import { OrderCancelledHandler } from './update-order-fact/order-cancelled.handler.js';
import { PaymentSucceededHandler } from './update-order-fact/payment-succeeded.handler.js';
import { PaymentFailedHandler } from './update-order-fact/payment-failed.handler.js';
import { InventoryRejectedHandler } from './update-order-fact/inventory-rejected.handler.js';
import { PaymentRefundedHandler } from './update-order-fact/payment-refunded.handler.js';
import { UpdateOrderFactService } from './update-order-fact/update-order-fact.service.js';
import { analyticsEnvSchema } from './analytics-env.js';

/**
 * The analytics service: a read model of the order and payment events. Its
 * configuration, PostgreSQL schema "analytics" (inbox included; its outbox
 * stays empty, it emits nothing), NATS connection and health checks come from
 * ServiceCoreModule; its own parts are one handler per consumed event, the use
 * case they call (set-based writes, analytics-rows.ts), and the figures'
 * REST route and live feed behind the same API keys as orders-api.
 */
@Module({
  imports: [
    ServiceCoreModule.forRoot({ service: 'analytics', schema: 'analytics', env: analyticsEnvSchema }),
    ApiAccessModule.forRoot({ publicPaths: OPERATIONAL_PATHS }),
    AnalyticsFiguresModule,
  ],
  controllers: [OrderCreatedHandler, OrderCancelledHandler, PaymentSucceededHandler, PaymentFailedHandler, PaymentRefundedHandler, InventoryRejectedHandler],
  providers: [UpdateOrderFactService],
})
export class AnalyticsModule {}
