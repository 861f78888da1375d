import { Module } from '@nestjs/common';
import { ServiceCoreModule } from '#bootstrap';
import { ApiAccessModule } from '#http-api';
import { DeadLettersApiModule } from './dead-letters/dead-letters-api.module.js';
import { LiveUpdatesModule } from './live-updates/live-updates.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { OPERATIONAL_PATHS } from './operational-routes.js';
import { ordersEnvSchema } from './orders-env.js';

@Module({
  imports: [
    ServiceCoreModule.forRoot({ service: 'orders-api', schema: 'orders', env: ordersEnvSchema }),
    ApiAccessModule.forRoot({ publicPaths: OPERATIONAL_PATHS }),
    OrdersModule,
    DeadLettersApiModule,
    OperationsModule,
    LiveUpdatesModule,
  ],
})
export class AppModule {}
