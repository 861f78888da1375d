import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { ALL_EVENTS, Consumers, consumersReading, DeadLetterReason, DeadLetterStatus, DUPLICATE_WINDOW_MS, Headers, OrderState } from '#contracts';
import { DeadLetterLimits, storableText } from '#dead-letters';
import { decodeEnvelope, InvalidMessageError } from '#jetstream';
import { listDeadLetters, type DeadLetterSummary } from '../chaos/support/dead-letters.js';
import { eventually } from '../e2e/support/eventually.js';
import { apiClient, type ApiClient } from '../e2e/support/http.js';
import { EXPECTED_TRANSITIONS, orderRequest, placeOrder, waitUntilTerminal } from '../e2e/support/orders.js';
import { maxDeliverOf, rawPublish, unsettledConsumers } from './messages/broker.js';
import { CONSUMED_EVENTS, streamOf } from './messages/consumed-subjects.js';
import { hostileMessages, type HostileMessage, type StoredExpectation } from './messages/hostile-messages.js';
import type { AggregateSnapshot, EventLedger } from './support/database.js';
import { checkProperty, firstCaseIndex, fuzzSettings, replayCommand, report } from './support/fuzz-run.js';
import { ALL_HEALTHY, serviceHealth, startFuzzPipeline, type FuzzPipeline, type ServiceHealth } from './support/pipeline.js';

/**
 * Hostile messages on every subject a consumer reads, published straight
 * into JetStream with the tests' own connection, while real orders flow
 * through the same pipeline. Every message must be refused without harm:
 * each malformed one terminated at once and dead-lettered `invalid` by each
 * consumer that reads its subject; each well-formed event about an order
 * nobody has failed on every delivery and dead-lettered `max_deliveries`;
 * duplicates and oversized bodies stopped by the server or the client;
 * nothing applied, no consumer left holding a message, every service healthy,
 * and every real order finished. What is generated: messages/hostile-messages.ts.
 */
const FILE = 'messages';
const settings = fuzzSettings(1_000);
/** Orders finished before the fuzzing starts: hostile messages name them, and nothing of theirs may change. */
const SETTLED_ORDERS = 6;
/** Orders placed one after another while the messages are published (at least this many, however fast that goes). */
const LIVE_ORDERS = 12;
const LIVE_ORDER_PAUSE_MS = 100;
/** Every this many cases, the property also asks each service for its health. */
const HEALTH_EVERY = 25;
const SETTLE_TIMEOUT_MS = 90_000;
/** Real events lend their msg ids only while the server remembers them (DUPLICATE_WINDOW_MS, 2 minutes). */
const REAL_EVENT_MAX_AGE_MS = DUPLICATE_WINDOW_MS / 2;
const REAL_EVENTS_REFRESH_MS = 15_000;

/** A case that was stored by the server, and what each consumer reading it must make of it. */
interface StoredRecord {
  index: number;
  description: string;
  stream: string;
  seq: number;
  expected: StoredExpectation;
  readers: string[];
  /** invalid: the codec's words for it, which the dead letter must carry (as far as PostgreSQL takes them). */
  detail?: string;
  /** unknown-aggregate: the event. */
  eventId?: string;
  eventType?: string;
}

type DeadLetter = DeadLetterSummary & { detail: string | null };

describe('fuzz: hostile messages on every consumed subject (built services, real NATS JetStream and PostgreSQL)', () => {
  let fuzz: FuzzPipeline;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let api: ApiClient;
  let settledOrders: string[] = [];
  let liveOrders: string[] = [];
  let before: AggregateSnapshot;
  let realEvents: EventLedger['published'] = [];
  let realEventsReadAt = 0;
  const stored: StoredRecord[] = [];
  const classes = new Map<string, number>();
  const healthSamples: Array<Record<string, ServiceHealth>> = [];
  let settledInTime = false;
  let deadLetters: DeadLetter[] = [];
  let unsettled: string[] = [];

  /** Context for an expectation: the seed and how to replay the run. */
  const run = () => ({ seed: settings.seed, replay: replayCommand(FILE, settings.seed, { runs: settings.runs }) });

  beforeAll(async () => {
    fuzz = await startFuzzPipeline(FILE);
    const { pipeline, nats } = fuzz;
    js = jetstream(nats);
    jsm = await jetstreamManager(nats);
    api = apiClient(pipeline.api);

    const customer = `fuzz-messages-${settings.seed}`;
    const placed = await Promise.all(Array.from({ length: SETTLED_ORDERS }, (_, n) => placeOrder(api, orderRequest(customer, n))));
    settledOrders = (await waitUntilTerminal(api, placed.map((order) => order.id))).map((order) => order.id);
    before = await fuzz.tables.aggregates();
    await refreshRealEvents();

    const arbitrary = hostileMessages({ maxPayload: nats.info!.max_payload, realOrderIds: settledOrders });
    const first = firstCaseIndex(settings);
    let next = first;
    const property = fc.asyncProperty(arbitrary, async (message) => {
      const index = next++;
      classes.set(message.label, (classes.get(message.label) ?? 0) + 1);
      await publishCase(index, message);
      if (index === first || index % HEALTH_EVERY === 0) {
        const health = await serviceHealth(pipeline);
        healthSamples.push(health);
        expect({ case: index, health }).toEqual({ case: index, health: ALL_HEALTHY });
      }
    });

    let fuzzing = true;
    const live = (async () => {
      const ids: string[] = [];
      for (let n = SETTLED_ORDERS; fuzzing || ids.length < LIVE_ORDERS; n++) {
        ids.push((await placeOrder(api, orderRequest(customer, n))).id);
        await sleep(LIVE_ORDER_PAUSE_MS);
      }
      return ids;
    })();
    try {
      await checkProperty(FILE, property, settings);
    } finally {
      fuzzing = false;
      liveOrders = await live;
    }
    report(`${FILE}: generated ${[...classes].map(([label, n]) => `${n} × ${label}`).join('; ')}`);

    // Until every real order is finished, every consumer has settled what it
    // was given, and the dead-letter office has recorded what it was told
    // of; twice in a row, so that nothing is still on its way.
    const expectedDeadLetters = stored.reduce((sum, record) => sum + record.readers.length, 0);
    let quiet = 0;
    settledInTime = await eventually(
      'the pipeline to settle',
      async () => {
        const [states, busy, [{ n }]] = await Promise.all([
          fuzz.tables.query<{ state: string }>('SELECT state::text FROM orders.orders WHERE id = ANY($1::uuid[])', [liveOrders]),
          unsettledConsumers(jsm),
          fuzz.tables.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters.dead_letter_events'),
        ]);
        const done = states.length === liveOrders.length && states.every((s) => s.state === OrderState.SHIPPED || s.state === OrderState.FAILED);
        quiet = done && busy.length === 0 && n >= expectedDeadLetters ? quiet + 1 : 0;
        return quiet >= 2 ? true : undefined;
      },
      { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 500 },
    ).catch(() => false);
    unsettled = await unsettledConsumers(jsm);
    deadLetters = (await listDeadLetters(pipeline.api)) as DeadLetter[];
  });

  afterAll(async () => {
    await fuzz?.stop();
  });

  /**
   * The pipeline's own events (not the mirror's KV puts) published in the
   * last REAL_EVENT_MAX_AGE_MS: well inside the server's duplicate window,
   * however long a run (FUZZ_RUNS) takes.
   */
  async function refreshRealEvents(): Promise<void> {
    const since = Date.now() - REAL_EVENT_MAX_AGE_MS;
    realEvents = (await fuzz.tables.events()).published.filter(
      (row) => ALL_EVENTS.some((event) => event.subject === row.subject) && row.publishedAt !== null && row.publishedAt.getTime() >= since,
    );
    realEventsReadAt = Date.now();
    if (realEvents.length === 0) throw new Error('no event of the pipeline was published in the last minute to lend its Nats-Msg-Id');
  }

  /** Publishes one case and checks what the server (or the client) answers at once. */
  async function publishCase(index: number, message: HostileMessage): Promise<void> {
    const msgID = `fuzz-${settings.seed}-${index}`;
    const context = { case: index, message: String(message[fc.toStringMethod]()) };
    if (message.kind === 'too-large') {
      // nats.js refuses before sending: the server would answer -ERR and drop the connection.
      const refused = await js.publish(message.subject, message.body, { msgID }).then(
        () => 'sent',
        (error: Error) => error.message,
      );
      expect({ ...context, refused, closed: fuzz.nats.isClosed() }).toEqual({ ...context, refused: expect.stringMatching(/max_payload/), closed: false });
      return;
    }
    if (message.kind === 'real-msg-id') {
      if (Date.now() - realEventsReadAt > REAL_EVENTS_REFRESH_MS) await refreshRealEvents();
      const real = realEvents[message.realEvent % realEvents.length]!;
      const ack = await js.publish(real.subject, message.body, { msgID: real.id });
      // Dropped by the server's duplicate window: the stored message under that id is still the real event.
      const kept = await jsm.streams.getMessage(ack.stream, { seq: ack.seq });
      const keptId = kept ? (kept.json<{ id: string }>().id ?? null) : null;
      expect({ ...context, duplicate: ack.duplicate, msgId: kept?.header?.get(Headers.MSG_ID), keptId }).toEqual({
        ...context,
        duplicate: true,
        msgId: real.id,
        keptId: real.id,
      });
      return;
    }
    // The generator's claim, against the codec the consumers run.
    const verdict = codecVerdict(message.body, message.subject);
    expect({ ...context, codec: verdict.expected }).toEqual({ ...context, codec: message.expected });
    const headers = natsHeaders();
    for (const [name, value] of message.headers) headers.append(name, value);
    const ack = await js.publish(message.subject, message.body, { msgID, headers });
    expect({ ...context, stream: ack.stream, duplicate: ack.duplicate }).toEqual({ ...context, stream: streamOf(message.subject), duplicate: false });
    if (message.twice) {
      const again = await js.publish(message.subject, message.body, { msgID, headers });
      expect({ ...context, again: { seq: again.seq, duplicate: again.duplicate } }).toEqual({ ...context, again: { seq: ack.seq, duplicate: true } });
    }
    stored.push({
      index,
      description: context.message,
      stream: ack.stream,
      seq: ack.seq,
      expected: message.expected,
      readers: consumersReading(message.subject).map((consumer) => consumer.durable),
      ...verdict.record,
    });
  }

  it('keeps every service healthy: each answers GET /health with 200 and none restarted, during the run and after', async () => {
    expect(healthSamples.length).toBeGreaterThan(0);
    const after = await serviceHealth(fuzz.pipeline);
    expect({ ...run(), after }).toEqual({ ...run(), after: ALL_HEALTHY });
  });

  it('leaves no consumer holding a message: every one was acknowledged or terminated, every advisory recorded', () => {
    expect({ ...run(), settledInTime, unsettled }).toEqual({ ...run(), settledInTime: true, unsettled: [] });
  });

  it('finishes every real order placed meanwhile (SHIPPED or FAILED, with exactly its transitions)', async () => {
    const finished = await waitUntilTerminal(api, liveOrders, 5_000);
    expect(finished.length).toBeGreaterThanOrEqual(LIVE_ORDERS);
    for (const order of finished) {
      const expected = EXPECTED_TRANSITIONS[order.state as keyof typeof EXPECTED_TRANSITIONS];
      expect({ order: order.id, state: order.state, history: order.history.map(({ from, to, version }) => ({ from, to, version })) }).toEqual({
        order: order.id,
        state: expected ? order.state : 'SHIPPED or FAILED',
        history: expected ?? [],
      });
    }
  });

  it('applies nothing: no order, payment or shipment but the real orders’ ones, the settled orders unchanged, no event applied or emitted that the pipeline did not publish', async () => {
    const after = await fuzz.tables.aggregates();
    const ledger = await fuzz.tables.events();
    const counts = await fuzz.tables.rowCounts();
    const real = new Set([...settledOrders, ...liveOrders]);
    const published = new Set(ledger.published.map((event) => event.id));
    const ordersOf = (rows: AggregateSnapshot['payments']) => [...rows.values()].map((row) => row.orderId).sort();
    const paid = [...after.payments.values()].filter((payment) => payment.status === 'SUCCEEDED').map((payment) => payment.orderId);
    const unchanged = (rows: Map<string, unknown>, now: Map<string, unknown>) => [...rows].filter(([id, row]) => JSON.stringify(now.get(id)) !== JSON.stringify(row)).map(([id]) => id);
    expect({
      ...run(),
      orders: [...after.orders.keys()].sort(),
      paymentsByOrder: ordersOf(after.payments),
      shipmentsByOrder: ordersOf(after.shipments),
      changedSettledRows: [...unchanged(before.orders, after.orders), ...unchanged(before.payments, after.payments), ...unchanged(before.shipments, after.shipments)],
      appliedButNeverPublished: ledger.applied.filter((row) => !published.has(row.eventId)),
      // Stock events are about a product (no order): the real orders' reservations move it.
      emittedForOtherOrders: ledger.published.filter((event) => event.orderId !== null && !real.has(event.orderId)),
      parkedEvents: counts['orders.parked_events'],
    }).toEqual({
      ...run(),
      orders: [...real].sort(),
      paymentsByOrder: [...real].sort(),
      shipmentsByOrder: paid.sort(),
      changedSettledRows: [],
      appliedButNeverPublished: [],
      emittedForOtherOrders: [],
      parkedEvents: 0,
    });
  });

  it('terminates each malformed message at once and dead-letters it `invalid`, once per consumer that reads its subject', () => {
    expect({ ...run(), problems: deadLetterProblems('invalid') }).toEqual({ ...run(), problems: [] });
  });

  it('fails each well-formed event about an unknown order on every delivery and dead-letters it `max_deliveries`, once per consumer that reads it', async () => {
    expect(stored.some((record) => record.expected === 'unknown-aggregate') || settings.path !== undefined).toBe(true);
    expect({ ...run(), problems: deadLetterProblems('unknown-aggregate', await maxDeliveries()) }).toEqual({ ...run(), problems: [] });
  });

  it('records no other dead letter', () => {
    const expected = new Set(stored.flatMap((record) => record.readers.map((consumer) => key(record.stream, record.seq, consumer))));
    const others = deadLetters.filter((d) => !expected.has(key(d.sourceStream, d.streamSeq, d.consumer))).map((d) => `${d.reason} ${d.sourceStream}#${d.streamSeq} ${d.consumer}`);
    expect({ ...run(), others }).toEqual({ ...run(), others: [] });
  });

  it('has the server refuse a message past max_payload from a client that does not check (-ERR, connection closed), and the services do not notice', async () => {
    const { reply, closed } = await rawPublish(fuzz.pipeline.natsUrl, CONSUMED_EVENTS[0]!.subject, fuzz.nats.info!.max_payload + 1);
    expect({ reply: reply.trim(), closed }).toEqual({ reply: "-ERR 'Maximum Payload Violation'", closed: true });
    expect(await serviceHealth(fuzz.pipeline)).toEqual(ALL_HEALTHY);
  });

  /** The max_deliver of each consumer that read an unknown-aggregate event, from the server. */
  async function maxDeliveries(): Promise<Map<string, number>> {
    const readers = Object.values(Consumers).filter((c) => stored.some((r) => r.expected === 'unknown-aggregate' && r.readers.includes(c.durable)));
    return new Map(await Promise.all(readers.map(async (c) => [c.durable, await maxDeliverOf(jsm, c.stream, c.durable)] as const)));
  }

  /** For each stored case of `expected`, and each consumer reading it: the dead letter it must have left, exactly; the differences. */
  function deadLetterProblems(expected: StoredExpectation, maxDeliver = new Map<string, number>()): string[] {
    const byKey = new Map<string, DeadLetter[]>();
    for (const d of deadLetters) byKey.set(key(d.sourceStream, d.streamSeq, d.consumer), [...(byKey.get(key(d.sourceStream, d.streamSeq, d.consumer)) ?? []), d]);
    const problems: string[] = [];
    for (const record of stored.filter((r) => r.expected === expected)) {
      for (const consumer of record.readers) {
        const found = byKey.get(key(record.stream, record.seq, consumer)) ?? [];
        const want =
          expected === 'invalid'
            ? { reason: DeadLetterReason.INVALID, deliveries: 1, status: DeadLetterStatus.PENDING, detail: record.detail }
            : { reason: DeadLetterReason.MAX_DELIVERIES, deliveries: maxDeliver.get(consumer), status: DeadLetterStatus.PENDING, eventId: record.eventId, eventType: record.eventType };
        const got = found.map((d) => Object.fromEntries(Object.keys(want).map((field) => [field, d[field as keyof DeadLetter]])));
        if (found.length !== 1 || JSON.stringify(got[0]) !== JSON.stringify(want)) {
          problems.push(
            `case ${record.index} (${record.stream}#${record.seq}, ${record.description}) on ${consumer}: expected ${JSON.stringify(want)}, found ${JSON.stringify(got)}` +
              ` — replay: ${replayCommand(FILE, settings.seed, { path: String(record.index) })}`,
          );
        }
      }
    }
    return problems;
  }
});

function key(stream: string, seq: number, consumer: string): string {
  return `${stream}#${seq}/${consumer}`;
}

/**
 * What the consumers' codec makes of a body on a subject: an event (its id
 * and type), or invalid (its words). Any other error would be taken for a
 * transient failure by the transport, and retried: it is reported as such.
 */
function codecVerdict(body: Uint8Array, subject: string): { expected: StoredExpectation | string; record: Partial<StoredRecord> } {
  try {
    const envelope = decodeEnvelope(body, subject);
    return { expected: 'unknown-aggregate', record: { eventId: envelope.id, eventType: envelope.type } };
  } catch (error) {
    if (!(error instanceof InvalidMessageError)) return { expected: `the codec threw ${String(error)}`, record: {} };
    return { expected: 'invalid', record: { detail: storableText(error.message, DeadLetterLimits.detailLength) } };
  }
}
