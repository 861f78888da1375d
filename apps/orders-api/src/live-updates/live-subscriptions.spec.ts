import { describe, it, expect } from '@jest/globals';
import type { LiveSocket } from './live-socket.js';
import { LiveSubscriptions } from './live-subscriptions.js';

const socket = (name: string) => ({ name }) as unknown as LiveSocket;

describe('LiveSubscriptions and their feed', () => {
  it('starts the feed when a subscriber waits for it, and tells it when the last subscription ends', async () => {
    const subscriptions = new LiveSubscriptions();
    const calls: string[] = [];
    subscriptions.fedBy({
      start: async () => void calls.push('start'),
      idle: () => void calls.push('idle'),
    });
    const [a, b] = [socket('a'), socket('b')];

    subscriptions.subscribe(a, 'o1');
    await subscriptions.whenFed();
    subscriptions.subscribeAll(b);
    await subscriptions.whenFed();
    expect(calls).toEqual(['start', 'start']);

    // Someone still listens: the feed keeps running.
    subscriptions.unsubscribe(a, 'o1');
    expect(calls).toEqual(['start', 'start']);
    subscriptions.remove(b);
    expect(calls).toEqual(['start', 'start', 'idle']);
  });

  it('is fed at once when nothing feeds it (a test without NATS)', async () => {
    await expect(new LiveSubscriptions().whenFed()).resolves.toBeUndefined();
  });
});
