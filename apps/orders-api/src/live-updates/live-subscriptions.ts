import { Injectable } from '@nestjs/common';
import type { LiveSocket } from './live-socket.js';
import { orderUpdatedFrame } from './order-updated-frame.js';
import { SubscriptionRegistry } from './subscription-registry.js';

/** What feeds the subscriptions (OrderUpdatesWatch): started on demand, told when nobody listens any more. */
export interface UpdateFeed {
  /** Resolves once updates flow. */
  start(): Promise<void>;
  idle(): void;
}

/** This process's subscriptions (one registry for every socket) and the fan-out of an update to them. */
@Injectable()
export class LiveSubscriptions extends SubscriptionRegistry<LiveSocket> {
  private feed: UpdateFeed | undefined;

  /** The watch registers itself, so that it runs only while someone is subscribed. */
  fedBy(feed: UpdateFeed): void {
    this.feed = feed;
  }

  /**
   * Resolves once updates flow to the subscriptions. A subscriber calls it
   * after subscribing and before reading the order's current view, so that no
   * change commits unseen in between.
   */
  whenFed(): Promise<void> {
    return this.feed?.start() ?? Promise.resolve();
  }

  override unsubscribe(subscriber: LiveSocket, orderId: string): void {
    super.unsubscribe(subscriber, orderId);
    this.idleIfEmpty();
  }

  override unsubscribeAll(subscriber: LiveSocket): void {
    super.unsubscribeAll(subscriber);
    this.idleIfEmpty();
  }

  override remove(subscriber: LiveSocket): void {
    super.remove(subscriber);
    this.idleIfEmpty();
  }

  private idleIfEmpty(): void {
    if (this.isEmpty) this.feed?.idle();
  }

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
