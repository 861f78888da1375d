import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kvm, KvWatchInclude, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ORDER_STATE_BUCKET } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import { LiveSubscriptions } from './live-subscriptions.js';
import { liveEventsSent, liveUpdatesReceived } from './live-updates-metrics.js';

/** How long to wait before watching again after the watch ended on its own (the bucket's stream gone, NATS away too long). */
const REWATCH_DELAY_MS = 1_000;

/**
 * How long the watch outlives its last subscription: a page reload or a
 * reconnect comes back within it and finds the watch still running.
 */
const IDLE_STOP_MS = 30_000;

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
 * The watch runs only while someone is subscribed: every put is a message
 * NATS delivers to every replica watching, a cost per order that nobody
 * should pay while no console is open. A subscription waits for the watch
 * (ensureWatching) before it reads the order's current view, so no change
 * commits unseen in between; the watch stops IDLE_STOP_MS after the last
 * subscription ends.
 *
 * The watch is an ordered consumer (the client re-creates it past a gap on
 * its own, from the last sequence seen); if it ends all the same, it is
 * started again from the revision after the last one delivered.
 */
@Injectable()
export class OrderUpdatesWatch implements OnApplicationShutdown {
  private readonly logger = new Logger(OrderUpdatesWatch.name);
  private bucket: Promise<KV> | undefined;
  /** The watch of the current run, and its loop. */
  private run: { watch: Watch | undefined; following: Promise<void> } | undefined;
  private starting: Promise<void> | undefined;
  /** Bumped when a run stops, so that the loop of a stopped run does not watch again. */
  private generation = 0;
  private lastRevision = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    private readonly subscriptions: LiveSubscriptions,
  ) {
    subscriptions.fedBy({ start: () => this.ensureWatching(), idle: () => this.idle() });
  }

  /** Resolves once the bucket is being watched: every put after that reaches deliver(). */
  ensureWatching(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.run) return Promise.resolve();
    return (this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    }));
  }

  /** Nobody is subscribed any more: stop watching unless someone subscribes within IDLE_STOP_MS. */
  idle(): void {
    if (!this.run && !this.starting) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  /** Whether the bucket is being watched now (for tests and logs). */
  get watching(): boolean {
    return this.run !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearTimeout(this.idleTimer);
    await this.starting?.catch(() => undefined);
    const following = this.run?.following;
    this.stop();
    await following;
  }

  private async start(): Promise<void> {
    const kv = await (this.bucket ??= new Kvm(this.connection).open(ORDER_STATE_BUCKET));
    // A new run starts from now: its subscribers read their current views after this.
    this.lastRevision = 0;
    const generation = this.generation;
    const watch = await this.openWatch(kv);
    if (generation !== this.generation || this.shuttingDown) {
      watch.stop(); // stopped while it was being opened
      return;
    }
    this.run = { watch, following: this.follow(kv, watch, generation) };
  }

  private stop(): void {
    this.generation += 1;
    this.run?.watch?.stop();
    this.run = undefined;
  }

  private openWatch(kv: KV): Promise<Watch> {
    return kv.watch({
      include: KvWatchInclude.UpdatesOnly,
      ignoreDeletes: true,
      ...(this.lastRevision > 0 ? { resumeFromRevision: this.lastRevision + 1 } : {}),
    });
  }

  private async follow(kv: KV, first: Watch, generation: number): Promise<void> {
    const current = () => generation === this.generation && !this.shuttingDown;
    let watch: Watch | undefined = first;
    while (current()) {
      try {
        watch ??= await this.openWatch(kv);
        if (!current()) {
          watch.stop();
          break;
        }
        if (this.run) this.run.watch = watch;
        for await (const entry of watch) {
          this.lastRevision = entry.revision;
          if (entry.operation !== 'PUT' || entry.length === 0) continue;
          liveUpdatesReceived.inc();
          const sent = this.subscriptions.deliver(entry.key, entry.value);
          if (sent > 0) liveEventsSent.inc(sent);
        }
      } catch (error) {
        if (current()) this.logger.warn(`the ${ORDER_STATE_BUCKET} watch failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      watch = undefined;
      if (current()) await sleep(REWATCH_DELAY_MS);
    }
  }
}
