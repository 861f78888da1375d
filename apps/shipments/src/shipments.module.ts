import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServiceCoreModule } from '#bootstrap';
import { DispatchShipmentService } from './dispatch-shipment/dispatch-shipment.service.js';
import { ShipmentPreparedHandler } from './dispatch-shipment/shipment-prepared.handler.js';
import { PaymentSucceededHandler } from './prepare-shipment/payment-succeeded.handler.js';
import { PrepareShipmentService, WAREHOUSES } from './prepare-shipment/prepare-shipment.service.js';
import { shipmentsEnvSchema, type ShipmentsEnv } from './shipments-env.js';

@Module({
  imports: [ServiceCoreModule.forRoot({ service: 'shipments', schema: 'shipments', env: shipmentsEnvSchema })],
  controllers: [PaymentSucceededHandler, ShipmentPreparedHandler],
  providers: [
    PrepareShipmentService,
    DispatchShipmentService,
    {
      provide: WAREHOUSES,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ShipmentsEnv, true>) => config.get('SHIPMENT_WAREHOUSES', { infer: true }),
    },
  ],
})
export class ShipmentsModule {}
