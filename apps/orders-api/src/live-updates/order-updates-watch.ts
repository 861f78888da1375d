import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kvm, KvWatchInclude, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ORDER_STATE_BUCKET } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import { LiveSubscriptions } from './live-subscriptions.js';
import { liveEventsSent, liveUpdatesReceived } from './live-updates-metrics.js';

/** How long to wait before watching again after the watch ended on its own (the bucket's stream gone, NATS away too long). */
const REWATCH_DELAY_MS = 1_000;

type Watch = Awaited<ReturnType<KV['watch']>>;

/**
 * Where live updates come from: ONE watch per process on the order_state
 * bucket, whose every put is an order's new view committed with its change
 * (the transactional outbox; see OrderStateCache). Because every replica
 * watches the bucket, a subscriber hears of a change whichever replica made
 * it; nothing comes from in-process events. The relay may coalesce several
 * puts of one order into the newest: the view carries its history, so a
 * subscriber still sees every state the order passed through.
 *
 * The watch is an ordered consumer (the client re-creates it past a gap on
 * its own, from the last sequence seen); if it ends all the same, it is
 * started again from the revision after the last one delivered.
 */
@Injectable()
export class OrderUpdatesWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderUpdatesWatch.name);
  private watch: Watch | undefined;
  private lastRevision = 0;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    private readonly subscriptions: LiveSubscriptions,
  ) {}

  /** After every module's init: OrderStateCache has created the bucket by then. */
  async onApplicationBootstrap(): Promise<void> {
    const kv = await new Kvm(this.connection).open(ORDER_STATE_BUCKET);
    // The first watch is running before the app serves: no update committed after start-up is missed.
    this.watch = await this.startWatch(kv);
    this.running = this.follow(kv);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.watch?.stop();
    await this.running;
  }

  private startWatch(kv: KV): Promise<Watch> {
    return kv.watch({
      include: KvWatchInclude.UpdatesOnly,
      ignoreDeletes: true,
      ...(this.lastRevision > 0 ? { resumeFromRevision: this.lastRevision + 1 } : {}),
    });
  }

  private async follow(kv: KV): Promise<void> {
    while (!this.stopped) {
      try {
        this.watch ??= await this.startWatch(kv);
        for await (const entry of this.watch) {
          this.lastRevision = entry.revision;
          if (entry.operation !== 'PUT' || entry.length === 0) continue;
          liveUpdatesReceived.inc();
          const sent = this.subscriptions.deliver(entry.key, entry.value);
          if (sent > 0) liveEventsSent.inc(sent);
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn(`the ${ORDER_STATE_BUCKET} watch failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.watch = undefined;
      if (!this.stopped) await sleep(REWATCH_DELAY_MS);
    }
  }
}
