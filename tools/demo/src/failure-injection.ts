import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamClient } from '@nats-io/jetstream';
import { OrderCreated, Streams } from '#contracts';
import type { Pipeline } from '#local-infra';
import type { KillableService } from './args.js';

/**
 * The demo's failure injection (--kill-worker, --poison-every; the gateway
 * errors of --payment-failure-rate are the payments service's own setting):
 * faults injected while the orders are being placed, recorded so that the
 * verdict can say which dead letters the run deserved.
 */

/** How long the killed service stays down before it is started again. */
const DOWNTIME_MS = 1_000;

export interface PoisonMessage {
  /** Published after this order (1-based). */
  afterOrder: number;
  stream: string;
  subject: string;
  seq: number;
}

export interface KillRecord {
  service: KillableService;
  afterOrder: number;
  pid: number | undefined;
  restartedPid?: number;
  /** From the SIGKILL until the service answered /health again. */
  downMs?: number;
}

export interface FailurePlan {
  orders: number;
  killWorker: KillableService | undefined;
  poisonEvery: number;
}

export class FailureInjection {
  readonly poison: PoisonMessage[] = [];
  kill?: KillRecord;
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly js: JetStreamClient,
    private readonly plan: FailurePlan,
    private readonly log: (line: string) => void,
  ) {}

  /** The order after which the worker is killed: half-way through. */
  get killAfter(): number {
    return Math.ceil(this.plan.orders / 2);
  }

  /** Called after order `index` (1-based) was accepted. */
  async afterOrder(index: number): Promise<void> {
    if (this.plan.poisonEvery > 0 && index % this.plan.poisonEvery === 0) await this.publishPoison(index);
    if (this.plan.killWorker && index === this.killAfter) await this.killAndRestart(this.plan.killWorker, index);
  }

  /** Resolves once a killed service is back (at once if none was killed); rejects if it did not come back. */
  settled(): Promise<void> {
    return this.restarting;
  }

  /**
   * A body that is no event at all (not even JSON) on a subject payments
   * consumes: the transport must terminate it at once, and the server's
   * MSG_TERMINATED advisory makes it a dead letter with reason `invalid`.
   */
  private async publishPoison(afterOrder: number): Promise<void> {
    const body = new TextEncoder().encode(`\u0000demo poison after order ${afterOrder} {not json`);
    const ack = await this.js.publish(OrderCreated.subject, body, { msgID: `demo-poison-${randomUUID()}` });
    this.poison.push({ afterOrder, stream: ack.stream, subject: OrderCreated.subject, seq: ack.seq });
    this.log(`[fault] poison message published on ${OrderCreated.subject} (${Streams.ORDERS.name} seq ${ack.seq}) after order ${afterOrder}`);
  }

  /**
   * SIGKILL: no shutdown hook, no last ack, no rollback. The service comes back
   * a second later, in the background, so that the next orders are placed
   * while it is down (for orders-api the client retries until it answers).
   */
  private async killAndRestart(service: KillableService, afterOrder: number): Promise<void> {
    const handle = this.pipeline.services[service];
    const record: KillRecord = { service, afterOrder, pid: handle.pid };
    this.kill = record;
    const killedAt = Date.now();
    await handle.kill();
    this.log(`[fault] ${service} (pid ${record.pid}) killed with SIGKILL after order ${afterOrder}; restarting it in ${DOWNTIME_MS / 1_000} s`);
    this.restarting = (async () => {
      await sleep(DOWNTIME_MS);
      await handle.restart();
      record.restartedPid = handle.pid;
      record.downMs = Date.now() - killedAt;
      this.log(`[fault] ${service} is back (pid ${record.restartedPid}), ready ${(record.downMs / 1_000).toFixed(1)} s after the kill`);
    })();
    // Seen through settled(); not an unhandled rejection meanwhile.
    this.restarting.catch(() => undefined);
  }
}
