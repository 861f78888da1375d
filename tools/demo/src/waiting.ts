import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Consumers } from '#contracts';
import { readDatabaseFacts, type DatabaseFacts } from './database-facts.js';
import type { OrderView, OrdersClient } from './orders-client.js';
import { isTerminal } from './verification.js';

const POLL_INTERVAL_MS = 250;
/** A progress line at least this often, so a slow run does not look hung. */
const PROGRESS_EVERY_MS = 5_000;

export interface TerminalWait {
  /** The latest view of every order, in the order given. */
  orders: OrderView[];
  timedOut: boolean;
}

/**
 * Polls the API until every order is in a terminal state or time runs out.
 * Only orders not yet terminal are fetched again: terminal states are final.
 */
export async function waitUntilAllTerminal(
  client: OrdersClient,
  orderIds: readonly string[],
  timeoutMs: number,
  onProgress: (terminal: number, total: number) => void,
): Promise<TerminalWait> {
  const latest = new Map<string, OrderView>();
  const deadline = Date.now() + timeoutMs;
  let reported = -1;
  let reportedAt = 0;
  for (;;) {
    const pending = orderIds.filter((id) => !latest.has(id) || !isTerminal(latest.get(id)!));
    const views = await Promise.all(pending.map((id) => client.get(id)));
    for (const view of views) latest.set(view.id, view);
    const terminal = orderIds.length - views.filter((view) => !isTerminal(view)).length;
    if (terminal !== reported || Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
      onProgress(terminal, orderIds.length);
      reported = terminal;
      reportedAt = Date.now();
    }
    const orders = orderIds.map((id) => latest.get(id)!);
    if (terminal === orderIds.length) return { orders, timedOut: false };
    if (Date.now() >= deadline) return { orders, timedOut: true };
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * The database facts once the injected redeliveries have been consumed.
 * A terminal order says nothing about them: a redelivery changes no order,
 * so it may still be in flight. Done when the payments inbox has skipped as
 * many as were injected, or when the payments consumer has nothing left to
 * deliver or acknowledge (then the count is final, whatever it is).
 */
export async function factsAfterRedeliveries(
  jsm: JetStreamManager,
  databaseUrl: string,
  injectedRedeliveries: number,
  timeoutMs: number,
): Promise<DatabaseFacts> {
  const { stream, durable } = Consumers.paymentsOnOrderCreated;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const facts = await readDatabaseFacts(databaseUrl);
    if (facts.paymentsInboxDuplicates >= injectedRedeliveries || Date.now() >= deadline) return facts;
    const info = await jsm.consumers.info(stream, durable);
    if (info.num_pending === 0 && info.num_ack_pending === 0) return readDatabaseFacts(databaseUrl);
    await sleep(POLL_INTERVAL_MS);
  }
}
