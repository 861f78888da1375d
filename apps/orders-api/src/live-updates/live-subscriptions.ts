import { Injectable } from '@nestjs/common';
import type { LiveSocket } from './live-socket.js';
import { orderUpdatedFrame } from './order-updated-frame.js';
import { SubscriptionRegistry } from './subscription-registry.js';

/** This process's subscriptions (one registry for every socket) and the fan-out of an update to them. */
@Injectable()
export class LiveSubscriptions extends SubscriptionRegistry<LiveSocket> {
  /**
   * Sends an order's new view to the sockets that follow it: one lookup, one
   * encoding (only if anyone follows it), then one send per socket.
   * Returns how many sockets it went to.
   */
  deliver(orderId: string, viewJson: Uint8Array): number {
    let frame: Buffer | undefined;
    let sockets = 0;
    this.forEachSubscriberOf(orderId, (socket) => {
      socket.send((frame ??= orderUpdatedFrame(viewJson)));
      sockets += 1;
    });
    return sockets;
  }
}
