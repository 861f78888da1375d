import { Consumers, DeadLetterReason, DeadLetterStatus } from '#contracts';
import { apiHeaders, type ApiEndpoint } from '#local-infra';

/**
 * The dead letters as an operator sees them: through orders-api's REST API
 * (GET /api/v1/dead-letters, newest first, paged with `nextCursor`), and the
 * check that they are exactly the ones a run deserved. The chaos tests use the
 * same two functions. Only the fields the checks read are typed here.
 */
export interface DeadLetterSummary {
  id: string;
  sourceStream: string;
  streamSeq: number;
  consumer: string;
  originalSubject: string | null;
  reason: DeadLetterReason;
  deliveries: number;
  eventId: string | null;
  eventType: string | null;
  status: string;
  /** Why a RESOLVED one needs nothing (its consumer applied the event all the same). */
  resolution?: string | null;
}

const PAGE_SIZE = 100;

/** Every dead letter (matching `filter`), following `nextCursor` to the last page. */
export async function listDeadLetters(api: ApiEndpoint, filter: Record<string, string> = {}): Promise<DeadLetterSummary[]> {
  const all: DeadLetterSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    if (page > 1_000) throw new Error('more than 1,000 pages of dead letters: the cursor does not advance');
    const query = new URLSearchParams({ ...filter, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
    const url = `${api.url}/api/v1/dead-letters?${query}`;
    const response = await fetch(url, { headers: apiHeaders(api), signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
    const body = JSON.parse(text) as { items: DeadLetterSummary[]; nextCursor: string | null };
    all.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return all;
  }
}

/** Replays each dead letter through the REST API (POST /dead-letters/:id/replay), one after another, as an operator would. */
export async function replayDeadLetters(api: ApiEndpoint, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const response = await fetch(`${api.url}/api/v1/dead-letters/${id}/replay`, { method: 'POST', headers: apiHeaders(api), signal: AbortSignal.timeout(30_000) });
    if (response.status !== 200) throw new Error(`replaying dead letter ${id} answered ${response.status}: ${await response.text()}`);
  }
}

/** The expectation for a dead letter the run replayed: it is there once, REPLAYED. */
export function expectReplayed(id: string): ExpectedDeadLetter {
  return { label: `dead letter ${id}, replayed`, matches: (deadLetter) => deadLetter.id === id && deadLetter.status === DeadLetterStatus.REPLAYED };
}

/** A dead letter the run should have produced, and how to recognise it. */
export interface ExpectedDeadLetter {
  /** What it stands for, e.g. "inventory.reserved of order 0193… (gateway_unavailable)". */
  label: string;
  matches(deadLetter: DeadLetterSummary): boolean;
}

export interface DeadLetterVerdict {
  expected: number;
  actual: number;
  /** Empty when every expected dead letter is there exactly once and there is no other. */
  problems: string[];
}

/**
 * Exactly the expected dead letters, each once, and no other open one. A
 * RESOLVED dead letter nobody expected is no problem: the dead-letter office
 * found its event applied by its consumer all the same (a copy of the event
 * under another msg id, a twin, applied it), so it is a record, not work left
 * undone.
 */
export function compareDeadLetters(actual: readonly DeadLetterSummary[], expected: readonly ExpectedDeadLetter[]): DeadLetterVerdict {
  const problems: string[] = [];
  const claimed = new Set<string>();
  for (const expectation of expected) {
    const matching = actual.filter((deadLetter) => expectation.matches(deadLetter));
    if (matching.length === 0) problems.push(`missing: ${expectation.label}`);
    if (matching.length > 1) problems.push(`${matching.length} dead letters for ${expectation.label}: ${matching.map(describeDeadLetter).join('; ')}`);
    for (const deadLetter of matching) claimed.add(deadLetter.id);
  }
  for (const deadLetter of actual) {
    if (!claimed.has(deadLetter.id) && deadLetter.status !== DeadLetterStatus.RESOLVED) problems.push(`unexpected: ${describeDeadLetter(deadLetter)}`);
  }
  return { expected: expected.length, actual: actual.length, problems };
}

export function describeDeadLetter(deadLetter: DeadLetterSummary): string {
  return (
    `${deadLetter.status} ${deadLetter.reason} ${deadLetter.sourceStream}#${deadLetter.streamSeq} ${deadLetter.originalSubject ?? '?'} ` +
    `consumer ${deadLetter.consumer}, ${deadLetter.deliveries} deliveries, event ${deadLetter.eventType ?? '-'} ${deadLetter.eventId ?? '-'}`
  );
}

/**
 * The dead letter an order's charge leaves when the payments consumer gives
 * up on it after max_deliver deliveries: recognised by the id of the event
 * that consumer reads (the order's inventory.reserved), which travels with the
 * copy. `applied`: the last attempt recorded the failure (a gateway that kept
 * failing: the payment FAILED with gateway_unavailable), so the dead letter is
 * RESOLVED; else (a handler that hung) it is work left undone, open or acted
 * on, never RESOLVED.
 */
export function expectChargeGivenUp(orderId: string, reservedEventId: string | undefined, why: string, applied: boolean): ExpectedDeadLetter {
  const consumer = Consumers.paymentsOnInventoryReserved.durable;
  return {
    label: `inventory.reserved of order ${orderId} (${why}), max_deliveries on ${consumer}, ${applied ? 'RESOLVED (applied)' : 'not RESOLVED (work left undone)'}`,
    matches: (deadLetter) =>
      reservedEventId !== undefined &&
      deadLetter.eventId === reservedEventId &&
      deadLetter.consumer === consumer &&
      deadLetter.reason === DeadLetterReason.MAX_DELIVERIES &&
      (deadLetter.status === DeadLetterStatus.RESOLVED) === applied,
  };
}

/** The dead letter a poison message (no event at all) leaves with one consumer that reads its subject. */
export function expectPoisonTerminated(poison: { stream: string; seq: number; subject: string }, consumer: string): ExpectedDeadLetter {
  return {
    label: `poison message ${poison.stream}#${poison.seq} on ${poison.subject}, invalid on ${consumer}`,
    matches: (deadLetter) =>
      deadLetter.sourceStream === poison.stream &&
      deadLetter.streamSeq === poison.seq &&
      deadLetter.consumer === consumer &&
      deadLetter.reason === DeadLetterReason.INVALID,
  };
}
