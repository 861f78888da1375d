import { describe, it, expect } from '@jest/globals';
import { SubscriptionRegistry } from './subscription-registry.js';

const subscribersOf = (registry: SubscriptionRegistry<string>, orderId: string): string[] => {
  const seen: string[] = [];
  registry.forEachSubscriberOf(orderId, (s) => seen.push(s));
  return seen.sort();
};

describe('SubscriptionRegistry', () => {
  it('reaches the subscribers of an order and those of every order, each once', () => {
    const registry = new SubscriptionRegistry<string>();
    registry.subscribe('a', 'o1');
    registry.subscribe('b', 'o1');
    registry.subscribe('b', 'o2');
    registry.subscribeAll('c');
    registry.subscribeAll('b');
    expect(subscribersOf(registry, 'o1')).toEqual(['a', 'b', 'c']);
    expect(subscribersOf(registry, 'o2')).toEqual(['b', 'c']);
    expect(subscribersOf(registry, 'o3')).toEqual(['b', 'c']);
  });

  it('stops reaching a subscriber that unsubscribed, and keeps its other subscriptions', () => {
    const registry = new SubscriptionRegistry<string>();
    registry.subscribe('a', 'o1');
    registry.subscribe('a', 'o2');
    registry.subscribeAll('a');
    registry.unsubscribe('a', 'o1');
    registry.unsubscribeAll('a');
    expect(subscribersOf(registry, 'o1')).toEqual([]);
    expect(subscribersOf(registry, 'o2')).toEqual(['a']);
    expect(registry.countOf('a')).toBe(1);
  });

  it('forgets everything of a subscriber that left, leaving no empty entries behind', () => {
    const registry = new SubscriptionRegistry<string>();
    registry.subscribe('a', 'o1');
    registry.subscribe('a', 'o2');
    registry.subscribe('b', 'o2');
    registry.subscribeAll('a');
    registry.remove('a');
    expect(subscribersOf(registry, 'o1')).toEqual([]);
    expect(subscribersOf(registry, 'o2')).toEqual(['b']);
    expect(registry.countOf('a')).toBe(0);
    expect(registry.stats()).toEqual({ orders: 1, subscribersToAll: 0 });
  });
});
