/**
 * Who is subscribed to what, in this process: a map from order id to its
 * subscribers, and the set of those subscribed to every order. An update
 * reaches its subscribers by one map lookup, whatever the number of sockets
 * or subscriptions: no per-subscriber matching per event.
 */
export class SubscriptionRegistry<S> {
  private readonly byOrder = new Map<string, Set<S>>();
  private readonly everyOrder = new Set<S>();
  /** The orders each subscriber follows one by one, to count them and to forget them all when it leaves. */
  private readonly ordersOf = new Map<S, Set<string>>();

  subscribe(subscriber: S, orderId: string): void {
    let subscribers = this.byOrder.get(orderId);
    if (!subscribers) this.byOrder.set(orderId, (subscribers = new Set()));
    subscribers.add(subscriber);
    let orders = this.ordersOf.get(subscriber);
    if (!orders) this.ordersOf.set(subscriber, (orders = new Set()));
    orders.add(orderId);
  }

  unsubscribe(subscriber: S, orderId: string): void {
    const subscribers = this.byOrder.get(orderId);
    subscribers?.delete(subscriber);
    if (subscribers?.size === 0) this.byOrder.delete(orderId);
    const orders = this.ordersOf.get(subscriber);
    orders?.delete(orderId);
    if (orders?.size === 0) this.ordersOf.delete(subscriber);
  }

  subscribeAll(subscriber: S): void {
    this.everyOrder.add(subscriber);
  }

  unsubscribeAll(subscriber: S): void {
    this.everyOrder.delete(subscriber);
  }

  /** Forgets every subscription of a subscriber that left. */
  remove(subscriber: S): void {
    for (const orderId of this.ordersOf.get(subscriber) ?? []) this.unsubscribe(subscriber, orderId);
    this.everyOrder.delete(subscriber);
  }

  /** Whether a subscriber follows this order by its id. */
  follows(subscriber: S, orderId: string): boolean {
    return this.ordersOf.get(subscriber)?.has(orderId) ?? false;
  }

  /** How many orders a subscriber follows one by one. */
  countOf(subscriber: S): number {
    return this.ordersOf.get(subscriber)?.size ?? 0;
  }

  /** Calls `visit` once for each subscriber of the order, whether it follows it by id, by "all", or both. */
  forEachSubscriberOf(orderId: string, visit: (subscriber: S) => void): void {
    for (const subscriber of this.everyOrder) visit(subscriber);
    const subscribers = this.byOrder.get(orderId);
    if (!subscribers) return;
    for (const subscriber of subscribers) if (!this.everyOrder.has(subscriber)) visit(subscriber);
  }

  /** Whether nobody follows anything: no order by id, nobody every order. */
  get isEmpty(): boolean {
    return this.byOrder.size === 0 && this.everyOrder.size === 0;
  }

  /** Figures for logs and metrics. */
  stats(): { orders: number; subscribersToAll: number } {
    return { orders: this.byOrder.size, subscribersToAll: this.everyOrder.size };
  }
}
