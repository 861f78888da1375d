import { describe, it, expect } from '@jest/globals';
import { firstValueFrom, take, toArray } from 'rxjs';
import { AnalyticsFeed, FEED_INTERVAL_MS } from './analytics-feed.js';
import type { AnalyticsFigures } from './analytics-figures.js';
import type { AnalyticsDto } from './http/analytics.dto.js';

/** A feed over figures that count their reads (the read number stands in the `created` figure). */
function setUp(fail = false) {
  let reads = 0;
  const figures = {
    read: async () => {
      reads += 1;
      if (fail && reads > 1) throw new Error('PostgreSQL away');
      return { orders: { created: reads } } as unknown as AnalyticsDto;
    },
  } as AnalyticsFigures;
  return { feed: new AnalyticsFeed(figures), reads: () => reads };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AnalyticsFeed', () => {
  it('gives a subscriber the current figures at once, and reads nothing while nobody listens', async () => {
    const { feed, reads } = setUp();
    feed.changed();
    feed.changed();
    expect(reads()).toBe(0);
    const first = await firstValueFrom(feed.figures());
    expect(first.orders.created).toBe(1);
  });

  it('sends at most one update per interval, and always the one after the last change', async () => {
    const { feed, reads } = setUp();
    const received: number[] = [];
    const subscription = feed.figures().subscribe((f) => received.push(f.orders.created));
    await sleep(10); // the initial figures
    for (let i = 0; i < 5; i++) feed.changed(); // a burst: the first at once, the rest as one after the interval
    await sleep(FEED_INTERVAL_MS + 150);
    subscription.unsubscribe();
    expect(received).toEqual([1, 2, 3]);
    expect(reads()).toBe(3);
  });

  it('computes each update once for every subscriber', async () => {
    const { feed, reads } = setUp();
    const a = firstValueFrom(feed.figures().pipe(take(2), toArray()));
    const b = firstValueFrom(feed.figures().pipe(take(2), toArray()));
    await sleep(10);
    feed.changed();
    const [ofA, ofB] = await Promise.all([a, b]);
    expect(ofA.at(-1)).toEqual(ofB.at(-1));
    // Two initial reads (one per subscriber) and one shared update.
    expect(reads()).toBe(3);
  });

  it('skips an update whose read failed, keeps the stream open, and completes it at shutdown', async () => {
    const { feed } = setUp(true);
    const received: number[] = [];
    let completed = false;
    feed.figures().subscribe({ next: (f) => received.push(f.orders.created), complete: () => (completed = true) });
    await sleep(10);
    feed.changed();
    await sleep(10);
    expect(received).toEqual([1]);
    expect(completed).toBe(false);
    feed.onApplicationShutdown();
    expect(completed).toBe(true);
  });
});
