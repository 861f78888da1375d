import { Module } from '@nestjs/common';
import { AdmissionInterceptor } from '../common/admission/admission.interceptor.js';
import { PipelineLag } from '../common/admission/pipeline-lag.js';
import { OrderStateCache } from '../order-state-cache/order-state-cache.js';
import { CancelOrderService } from './cancel-order.service.js';
import { ShipOrderService } from './ship-order.service.js';
import { OrderTimeline } from './timeline/order-timeline.js';
import { CreateOrderService } from './create-order.service.js';
import { ApplyOrderEventService } from './events/apply-order-event.service.js';
import { InventoryEventsHandler } from './events/inventory-events.handler.js';
import { PaymentEventsHandler } from './events/payment-events.handler.js';
import { ShipmentEventsHandler } from './events/shipment-events.handler.js';
import { OrdersController } from './http/orders.controller.js';
import { OrderTransitionsService } from './order-transitions.service.js';
import { OrderViews } from './order-views.js';

@Module({
  controllers: [OrdersController, InventoryEventsHandler, PaymentEventsHandler, ShipmentEventsHandler],
  providers: [
    CreateOrderService,
    CancelOrderService,
    ShipOrderService,
    OrderTimeline,
    OrderViews,
    OrderTransitionsService,
    ApplyOrderEventService,
    OrderStateCache,
    // One instance for every write route: it counts this process's writes in progress.
    AdmissionInterceptor,
    PipelineLag,
  ],
  // The live-updates gateway runs the same use cases (and reads views) as the HTTP controller, admitted by the same count.
  exports: [CreateOrderService, CancelOrderService, OrderViews, AdmissionInterceptor],
})
export class OrdersModule {}
