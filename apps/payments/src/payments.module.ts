import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServiceCoreModule } from '#bootstrap';
import { ChargeOrderService } from './charge-order/charge-order.service.js';
import { InventoryReservedHandler } from './charge-order/inventory-reserved.handler.js';
import { RefundPaymentService } from './refund-payment/refund-payment.service.js';
import { ShipmentCancelledHandler } from './refund-payment/shipment-cancelled.handler.js';
import { PaymentFaults } from './faults/payment-faults.js';
import { MockPaymentGateway } from './gateway/mock-payment-gateway.js';
import { paymentsEnvSchema, type PaymentsEnv } from './payments-env.js';

@Module({
  imports: [ServiceCoreModule.forRoot({ service: 'payments', schema: 'payments', env: paymentsEnvSchema })],
  controllers: [InventoryReservedHandler, ShipmentCancelledHandler],
  providers: [
    ChargeOrderService,
    RefundPaymentService,
    {
      provide: MockPaymentGateway,
      inject: [ConfigService],
      useFactory: (config: ConfigService<PaymentsEnv, true>) =>
        new MockPaymentGateway({
          successRate: config.get('PAYMENT_SUCCESS_RATE', { infer: true }),
          errorRate: config.get('PAYMENT_GATEWAY_ERROR_RATE', { infer: true }),
          timeoutMs: config.get('PAYMENT_GATEWAY_TIMEOUT_MS', { infer: true }),
          latencyMs: config.get('PAYMENT_LATENCY_MS', { infer: true }),
          seed: config.get('PAYMENT_SEED', { infer: true }),
        }),
    },
    {
      // Test-only fault injection; every fault is off unless its FAULT_* variable is set.
      provide: PaymentFaults,
      inject: [ConfigService],
      useFactory: (config: ConfigService<PaymentsEnv, true>) =>
        new PaymentFaults({ hangOnLastAttempt: config.get('FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT', { infer: true }) }),
    },
  ],
})
export class PaymentsModule {}
