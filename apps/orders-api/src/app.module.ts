import { Module } from '@nestjs/common';
import { ServiceCoreModule } from '#bootstrap';
import { ApiAccessModule } from '#http-api';
import { LiveUpdatesModule } from './live-updates/live-updates.module.js';
import { ORDERS_PUBLIC_API } from './openapi.js';
import { OPERATIONAL_PATHS } from './operational-routes.js';
import { ordersEnvSchema } from './orders-env.js';

@Module({
  imports: [
    ServiceCoreModule.forRoot({ service: 'orders-api', schema: 'orders', env: ordersEnvSchema }),
    ApiAccessModule.forRoot({ publicPaths: OPERATIONAL_PATHS }),
    // The modules of the public API (openapi.ts lists them, so that the build can describe them without running the app).
    ...ORDERS_PUBLIC_API.modules,
    LiveUpdatesModule,
  ],
})
export class AppModule {}
