import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamManager } from '@nats-io/jetstream';
import { REDELIVERY_CONSUMER, readDatabaseFacts, type DatabaseFacts } from './database-facts.js';
import { compareDeadLetters, listDeadLetters, type DeadLetterSummary, type ExpectedDeadLetter } from './dead-letters.js';
import type { OrderView, OrdersClient } from './orders-client.js';
import { isTerminal } from './verification.js';
import type { ApiEndpoint } from '#local-infra';

const POLL_INTERVAL_MS = 250;
/** A progress line at least this often, so a slow run does not look hung. */
const PROGRESS_EVERY_MS = 5_000;

export interface TerminalWait {
  /** The latest view of every order, in the order given. */
  orders: OrderView[];
  timedOut: boolean;
  /** Some orders are not terminal, and nothing is moving: no consumer has work, no order changed for a while. */
  stalled: boolean;
}

/** Polls in a row with nothing in flight and no order moving before a wait calls the pipeline stalled (2 s). */
const STALLED_POLLS = 8;

/**
 * Polls the API until every order is in a terminal state, the pipeline
 * stalls (with `jsm`: every durable consumer idle and no order moving for
 * STALLED_POLLS polls, so what is not terminal will not get there by
 * itself), or time runs out. Only orders not yet terminal are fetched again:
 * terminal states are final.
 */
export async function waitUntilAllTerminal(
  client: OrdersClient,
  orderIds: readonly string[],
  timeoutMs: number,
  onProgress: (terminal: number, total: number) => void,
  jsm?: JetStreamManager,
): Promise<TerminalWait> {
  const latest = new Map<string, OrderView>();
  const deadline = Date.now() + timeoutMs;
  let reported = -1;
  let reportedAt = 0;
  let still = 0;
  let lastVersions = '';
  for (;;) {
    const pending = orderIds.filter((id) => !latest.has(id) || !isTerminal(latest.get(id)!));
    // orders-api may be down (--kill-worker): a failed read is tried again on the next poll.
    const views = await Promise.all(pending.map((id) => client.get(id).catch(() => undefined)));
    for (const view of views) if (view) latest.set(view.id, view);
    const terminal = orderIds.filter((id) => latest.has(id) && isTerminal(latest.get(id)!)).length;
    if (terminal !== reported || Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
      onProgress(terminal, orderIds.length);
      reported = terminal;
      reportedAt = Date.now();
    }
    if (terminal === orderIds.length) return { orders: orderIds.map((id) => latest.get(id)!), timedOut: false, stalled: false };
    if (jsm && orderIds.every((id) => latest.has(id))) {
      const versions = orderIds.map((id) => latest.get(id)!.version).join(',');
      still = versions === lastVersions && (await consumersIdle(jsm).catch(() => false)) ? still + 1 : 0;
      lastVersions = versions;
      if (still >= STALLED_POLLS) return { orders: orderIds.map((id) => latest.get(id)!), timedOut: false, stalled: true };
    }
    if (Date.now() >= deadline && orderIds.every((id) => latest.has(id))) return { orders: orderIds.map((id) => latest.get(id)!), timedOut: true, stalled: false };
    if (Date.now() >= deadline + 30_000) throw new Error(`orders-api did not answer for ${orderIds.filter((id) => !latest.has(id)).length} orders`);
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * The database facts once the injected redeliveries have been consumed.
 * A terminal order says nothing about them: a redelivery changes no order,
 * so it may still be in flight. Done when the inventory inbox has skipped as
 * many as were injected, or when that consumer (REDELIVERY_CONSUMER) has nothing left to
 * deliver or acknowledge (then the count is final, whatever it is).
 */
export async function factsAfterRedeliveries(
  jsm: JetStreamManager,
  databaseUrl: string,
  injectedRedeliveries: number,
  timeoutMs: number,
): Promise<DatabaseFacts> {
  const { stream, durable } = REDELIVERY_CONSUMER;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const facts = await readDatabaseFacts(databaseUrl);
    if (facts.inventoryInboxDuplicates >= injectedRedeliveries || Date.now() >= deadline) return facts;
    const info = await jsm.consumers.info(stream, durable);
    if (info.num_pending === 0 && info.num_ack_pending === 0) return readDatabaseFacts(databaseUrl);
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * The dead letters, once they are the expected ones (compareDeadLetters finds
 * no problem: an open one whose event a twin applied late is resolved by the
 * dead-letter office within seconds) and no durable consumer (the dead-letter
 * office's advisory consumer included) has anything pending or
 * unacknowledged: then no more are on their way. After `timeoutMs`, whatever
 * is listed by then (the check says what is missing or unexpected).
 */
export async function waitForDeadLetters(
  jsm: JetStreamManager,
  api: ApiEndpoint,
  expected: readonly ExpectedDeadLetter[],
  timeoutMs: number,
): Promise<DeadLetterSummary[]> {
  const deadline = Date.now() + timeoutMs;
  let quietPolls = 0;
  for (;;) {
    const listed = await listDeadLetters(api).catch(() => undefined);
    quietPolls = (await consumersIdle(jsm)) ? quietPolls + 1 : 0;
    if (listed && compareDeadLetters(listed, expected).problems.length === 0 && quietPolls >= 2) return listed;
    if (Date.now() >= deadline) return listed ?? listDeadLetters(api);
    await sleep(POLL_INTERVAL_MS * 2);
  }
}

/**
 * Reads `read` every POLL_INTERVAL_MS until `problemsOf` finds nothing in
 * what it answered, or `timeoutMs` runs out: for read models and stock that
 * follow the orders a moment later, on consumers of their own. Returns the
 * last answer (undefined when none came) and what was still wrong with it.
 * A failed read (the service down or restarting) is tried again.
 */
export async function readUntilSettled<T>(
  read: () => Promise<T>,
  problemsOf: (value: T) => string[],
  timeoutMs: number,
  noAnswer: string,
): Promise<{ value: T | undefined; problems: string[] }> {
  const deadline = Date.now() + timeoutMs;
  let value: T | undefined;
  let problems = [noAnswer];
  for (;;) {
    const answer = await read().then((v) => ({ v }), () => undefined);
    if (answer) {
      value = answer.v;
      problems = problemsOf(answer.v);
      if (problems.length === 0) return { value, problems };
    }
    if (Date.now() >= deadline) return { value, problems };
    await sleep(POLL_INTERVAL_MS);
  }
}

/** No durable consumer of any stream has a message pending or unacknowledged. */
async function consumersIdle(jsm: JetStreamManager): Promise<boolean> {
  for await (const stream of jsm.streams.list()) {
    for await (const consumer of jsm.consumers.list(stream.config.name)) {
      if (!consumer.config.durable_name) continue;
      if (consumer.num_pending > 0 || consumer.num_ack_pending > 0) return false;
    }
  }
  return true;
}
