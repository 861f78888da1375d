import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServiceCoreModule } from '#bootstrap';
import { CancelShipmentService } from './cancel-shipment/cancel-shipment.service.js';
import { OrderCancelledHandler } from './cancel-shipment/order-cancelled.handler.js';
import { MockCarrier } from './carrier/mock-carrier.js';
import { DispatchRequestedHandler } from './dispatch-shipment/dispatch-requested.handler.js';
import { DISPATCH_MODE, DispatchShipmentService } from './dispatch-shipment/dispatch-shipment.service.js';
import { ShipmentPreparedHandler } from './dispatch-shipment/shipment-prepared.handler.js';
import { PaymentSucceededHandler } from './prepare-shipment/payment-succeeded.handler.js';
import { PACKING_DELAY_MS, PrepareShipmentService, WAREHOUSES } from './prepare-shipment/prepare-shipment.service.js';
import { shipmentsEnvSchema, type ShipmentsEnv } from './shipments-env.js';

@Module({
  imports: [ServiceCoreModule.forRoot({ service: 'shipments', schema: 'shipments', env: shipmentsEnvSchema })],
  controllers: [PaymentSucceededHandler, ShipmentPreparedHandler, DispatchRequestedHandler, OrderCancelledHandler],
  providers: [
    PrepareShipmentService,
    DispatchShipmentService,
    CancelShipmentService,
    {
      provide: PACKING_DELAY_MS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ShipmentsEnv, true>) => config.get('SHIPMENT_PACKING_DELAY_MS', { infer: true }),
    },
    {
      provide: MockCarrier,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ShipmentsEnv, true>) => new MockCarrier(config.get('SHIPMENT_CARRIER_SEED', { infer: true })),
    },
    {
      provide: DISPATCH_MODE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ShipmentsEnv, true>) => config.get('SHIPMENT_DISPATCH', { infer: true }),
    },
    {
      provide: WAREHOUSES,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ShipmentsEnv, true>) => config.get('SHIPMENT_WAREHOUSES', { infer: true }),
    },
  ],
})
export class ShipmentsModule {}
