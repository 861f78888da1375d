import { Module } from '@nestjs/common';
import { ServiceCoreModule } from '#bootstrap';
import { ApiAccessModule, OPERATIONAL_PATHS } from '#http-api';
import { CatalogModule } from './catalog/catalog.module.js';
import { OrderCreatedHandler } from './reserve-stock/order-created.handler.js';
import { ReserveStockService } from './reserve-stock/reserve-stock.service.js';
import { SettlementEventsHandler } from './settle-reservation/settlement-events.handler.js';
import { SettleReservationService } from './settle-reservation/settle-reservation.service.js';
import { inventoryEnvSchema } from './inventory-env.js';

/**
 * The inventory service: the saga's first step and its compensation. Its
 * configuration, PostgreSQL schema "inventory" (the catalog, reservations,
 * outbox and inbox), NATS connection and health checks come from
 * ServiceCoreModule; its own parts are the reserve-stock and
 * settle-reservation use cases with their message adapters, and the catalog's
 * REST routes behind the same API keys as orders-api. Units of work run
 * set-based plain SQL (reservation-rows.ts, stock-rows.ts).
 */
@Module({
  imports: [
    ServiceCoreModule.forRoot({ service: 'inventory', schema: 'inventory', env: inventoryEnvSchema }),
    ApiAccessModule.forRoot({ publicPaths: OPERATIONAL_PATHS }),
    CatalogModule,
  ],
  controllers: [OrderCreatedHandler, SettlementEventsHandler],
  providers: [ReserveStockService, SettleReservationService],
})
export class InventoryModule {}
