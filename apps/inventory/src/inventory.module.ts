import { Module } from '@nestjs/common';
import { ServiceCoreModule } from '#bootstrap';
import { OrderCreatedHandler } from './update-reservation/order-created.handler.js';
import { PaymentFailedHandler } from './update-reservation/payment-failed.handler.js';
import { PaymentVoidedHandler } from './update-reservation/payment-voided.handler.js';
import { ShipmentCancelledHandler } from './update-reservation/shipment-cancelled.handler.js';
import { ShipmentDispatchedHandler } from './update-reservation/shipment-dispatched.handler.js';
import { UpdateReservationService } from './update-reservation/update-reservation.service.js';
import { inventoryEnvSchema } from './inventory-env.js';

/**
 * The inventory service: its configuration, PostgreSQL schema "inventory"
 * (outbox and inbox included), NATS connection and health checks come from
 * ServiceCoreModule; its own parts are one handler per consumed event and the
 * use case they call. Its units of work run set-based plain SQL (the
 * BatchQueries in inventory-rows.ts); Prisma keeps the schema, the migrations
 * and the typed client for cold paths (listings, reports).
 */
@Module({
  imports: [
    ServiceCoreModule.forRoot({ service: 'inventory', schema: 'inventory', env: inventoryEnvSchema }),
  ],
  controllers: [OrderCreatedHandler, PaymentFailedHandler, PaymentVoidedHandler, ShipmentCancelledHandler, ShipmentDispatchedHandler],
  providers: [UpdateReservationService],
})
export class InventoryModule {}
