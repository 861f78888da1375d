import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { LiveCommands } from './live-commands.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import { LiveUpdatesGateway } from './live-updates.gateway.js';
import { LiveUpdatesSettings } from './live-updates-settings.js';
import { OrderUpdatesWatch } from './order-updates-watch.js';

/**
 * Live updates over WebSocket (/ws): the order commands of the REST API,
 * and an event for every change of a subscribed order, fed by one watch of
 * the order_state bucket per process. See docs/websocket.md.
 */
@Module({
  imports: [OrdersModule],
  providers: [LiveUpdatesGateway, LiveCommands, LiveSubscriptions, LiveUpdatesSettings, OrderUpdatesWatch],
})
export class LiveUpdatesModule {}
