import fc from 'fast-check';
import { z } from 'zod';
import { ALL_EVENTS, envelopeSchema, findEventDefinition, type EventDefinition } from '#contracts';
import { CONSUMED_EVENTS, FAILING_ON_UNKNOWN_AGGREGATE, WILDCARD_PREFIXES } from './consumed-subjects.js';

/**
 * The hostile messages, as fast-check arbitraries. Each case says what the
 * pipeline must make of it, and the property checks that claim against the
 * codec before publishing, so a generator that drifts from the contracts
 * fails loudly instead of testing nothing:
 *
 * - `invalid`: no event (garbage, not JSON, not an envelope, a wrong payload,
 *   an unknown version or type, a type that is not its subject): every
 *   consumer that reads the subject must terminate it at once, and the
 *   dead-letter office record it as `invalid`;
 * - `unknown-aggregate`: a well-formed event about an order nobody has, on a
 *   subject whose every reader fails on it (FAILING_ON_UNKNOWN_AGGREGATE):
 *   one `max_deliveries` dead letter per reader, nothing written;
 * - `real-msg-id`: a hostile body under the Nats-Msg-Id of an event the
 *   pipeline published: the server must drop it as a duplicate;
 * - `too-large`: past the server's max_payload: the client refuses to send it.
 */

export type StoredExpectation = 'invalid' | 'unknown-aggregate';

interface CaseBase {
  /** The generator class, e.g. `garbage bytes`. */
  readonly label: string;
  readonly body: Uint8Array;
  readonly [fc.toStringMethod]: () => string;
}

export interface StoredCase extends CaseBase {
  readonly kind: 'stored';
  readonly subject: string;
  readonly expected: StoredExpectation;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Published a second time under the same Nats-Msg-Id (the server must drop the second). */
  readonly twice: boolean;
}

export interface RealMsgIdCase extends CaseBase {
  readonly kind: 'real-msg-id';
  /** Which of the pipeline's own events (modulo their number) lends its Nats-Msg-Id and subject. */
  readonly realEvent: number;
}

export interface TooLargeCase extends CaseBase {
  readonly kind: 'too-large';
  readonly subject: string;
}

export type HostileMessage = StoredCase | RealMsgIdCase | TooLargeCase;

export interface HostileContext {
  /** The server's max_payload (its INFO), which bounds a message's headers and body together. */
  maxPayload: number;
  /** Orders that exist: invalid messages name them too, so that one taken for an event would show on a real order. */
  realOrderIds: readonly string[];
}

/** Left for a message's own headers (its Nats-Msg-Id) by the bodies meant to fit just under max_payload. */
const HEADER_ROOM = 256;
/** How far under max_payload the near-limit bodies go. */
const NEAR_LIMIT_SPREAD = 4_096;

const encoder = new TextEncoder();
const text = (value: string): Uint8Array => encoder.encode(value);

// ---------------------------------------------------------------------------
// Strings and values

/** Strings that break naive code: NUL, lone surrogates, BOM, bidi override, quotes, backslashes, markup, SQL, format strings. */
const NASTY = ['\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\u202e', '\ufeff', '\uffff', '"', '\\', '\u2028', '%s%n', '${7*7}', "'; DROP TABLE orders.orders; --", '<script>', '__proto__', 'constructor'];

/** Any single UTF-16 code unit: NUL, control characters and lone surrogates included (small values are the likeliest). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

function hostileString({ minLength = 0, maxLength = 40 }: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  const nasty = NASTY.filter((s) => s.length >= minLength && s.length <= maxLength);
  return fc.oneof(
    { arbitrary: fc.string({ unit: codeUnit, minLength, maxLength }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }).filter((s) => s.length >= minLength && s.length <= maxLength), weight: 1 },
    ...(nasty.length > 0 ? [{ arbitrary: fc.constantFrom(...nasty), weight: 1 }] : []),
  );
}

/** A string with at least one NUL or lone surrogate in it. */
const poisonedString = fc
  .tuple(hostileString({ maxLength: 12 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0000\ud800'), hostileString({ maxLength: 12 }))
  .map(([a, poison, b]) => `${a}${poison}${b}`);

const isoTime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

/** A value of the wrong JSON type for any payload field (none is a boolean or a bare object). */
const wrongValue = fc.oneof(fc.boolean(), fc.constant({}), fc.dictionary(hostileString({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant([[]]), fc.double({ min: 0.1, max: 1e6, noNaN: true }).map((n) => n + 0.5));

// ---------------------------------------------------------------------------
// Valid payloads, from the contracts' own JSON Schema

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

const INT32_MAX = 2 ** 31 - 1;

/** A value valid under `schema`: the subset of JSON Schema that z.toJSONSchema gives for the contracts' payloads. */
function valueOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(valueOf));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => valueOf({ ...schema, type })));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      return hostileString({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer': {
      const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -INT32_MAX);
      return fc.integer({ min, max: Math.min(schema.maximum ?? INT32_MAX, INT32_MAX) });
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(valueOf(schema.items ?? {}), { minLength, maxLength: minLength + 2 });
    }
    case 'object': {
      const properties = Object.entries(schema.properties ?? {}).map(([key, value]) => [key, valueOf(value)] as const);
      return fc.record(Object.fromEntries(properties), { requiredKeys: schema.required ?? [] });
    }
  }
  throw new Error(`no generator for the JSON Schema ${JSON.stringify(schema)}`);
}

const payloadSchemas = new Map<EventDefinition, JsonSchema>(ALL_EVENTS.map((event) => [event, z.toJSONSchema(event.payload) as JsonSchema]));

/** A payload `event`'s schema accepts, about `orderId`'s order. */
function validPayload(event: EventDefinition, orderId: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(valueOf(payloadSchemas.get(event)!) as fc.Arbitrary<Record<string, unknown>>, orderId)
    .map(([payload, id]) => ({ ...payload, orderId: id }))
    .filter((payload) => event.payload.safeParse(payload).success);
}

type Envelope = Record<string, unknown> & { payload?: unknown };

function envelopeOf(event: EventDefinition, payload: fc.Arbitrary<unknown>): fc.Arbitrary<Envelope> {
  return fc.record({
    id: fc.uuid({ version: 7 }),
    type: fc.constant(event.type),
    schemaVersion: fc.constant(event.schemaVersion),
    occurredAt: isoTime,
    aggregateId: fc.uuid(),
    correlationId: fc.uuid(),
    causationId: fc.uuid(),
    payload,
  });
}

// ---------------------------------------------------------------------------
// Building cases

function describeBody(body: Uint8Array): string {
  const head = new TextDecoder().decode(body.subarray(0, 80));
  return `${body.length} bytes ${JSON.stringify(head)}${body.length > 80 ? '…' : ''}`;
}

function stored(label: string, expected: StoredExpectation, subject: string, body: Uint8Array, headers: ReadonlyArray<readonly [string, string]> = [], twice = false): StoredCase {
  return {
    kind: 'stored',
    label,
    expected,
    subject,
    body,
    headers,
    twice,
    [fc.toStringMethod]: () =>
      `${label} on ${subject}${twice ? ' (sent twice)' : ''}${headers.length ? ` with headers ${JSON.stringify(headers)}` : ''}: ${describeBody(body)}`,
  };
}

/** The JSON text of `envelope`, with `raw` (JSON text) put where `marker` stands. */
function jsonWith(value: unknown, marker: string, raw: string): string {
  return JSON.stringify(value).replace(JSON.stringify(marker), raw);
}

/** Adds prototype-polluting keys at the start of the top-level object and of the payload object (JSON text). */
function withPrototypeKeys(json: string, pollution: string): string {
  const keys = `"__proto__":${pollution},"constructor":{"prototype":${pollution}},"prototype":${pollution},`;
  const top = json.startsWith('{') ? `{${keys}${json.slice(1)}` : json;
  return top.replace('"payload":{', `"payload":{${keys}`);
}

function nested(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const MARKER = '\u0001fuzz-marker\u0001';

export function hostileMessages(context: HostileContext): fc.Arbitrary<HostileMessage> {
  if (CONSUMED_EVENTS.length === 0 || FAILING_ON_UNKNOWN_AGGREGATE.length === 0) throw new Error('the contracts have no consumed events to fuzz');
  const realOrder = context.realOrderIds.length > 0 ? fc.constantFrom(...context.realOrderIds) : fc.uuid();
  /** Invalid messages name real orders half the time: one taken for an event would change a real order. */
  const someOrder = fc.oneof(realOrder, fc.uuid());
  const consumedEvent = fc.constantFrom(...CONSUMED_EVENTS);
  const failingEvent = fc.constantFrom(...FAILING_ON_UNKNOWN_AGGREGATE);
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
  const unknownSubject = fc
    .tuple(fc.constantFrom(...WILDCARD_PREFIXES), token)
    .map(([prefix, name]) => `${prefix}${name}`)
    .filter((subject) => !ALL_EVENTS.some((event) => event.subject === subject));
  const anySubject = fc.oneof(fc.constantFrom(...CONSUMED_EVENTS.map((event) => event.subject)), unknownSubject);

  const headerName = fc.oneof(fc.constantFrom('traceparent', 'tracestate', 'Dlq-Reason', 'Content-Type'), fc.stringMatching(/^X-[A-Za-z0-9-]{1,16}$/));
  const headerValue = fc.string({ unit: codeUnit, maxLength: 100 }).filter((value) => !/[\r\n]/.test(value));
  const headers = fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 3 }), weight: 1 });
  const twice = fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 });

  /** An invalid body on a subject, with hostile headers now and then, sometimes sent twice. */
  const invalid = (label: string, arbitrary: fc.Arbitrary<{ subject: string; body: Uint8Array }>) =>
    fc.tuple(arbitrary, headers, twice).map(([c, h, t]) => stored(label, 'invalid', c.subject, c.body, h, t));

  /** A well-formed event about an unknown order, on a subject whose every reader fails on it. */
  const unknownOrderEvent = failingEvent.chain((event) => envelopeOf(event, validPayload(event, fc.uuid())).map((envelope) => ({ event, envelope })));
  const wellFormed = (label: string, arbitrary: fc.Arbitrary<{ subject: string; body: Uint8Array }>) =>
    fc.tuple(arbitrary, headers, twice).map(([c, h, t]) => stored(label, 'unknown-aggregate', c.subject, c.body, h, t));

  /** A valid envelope of a consumed event, on its own subject (what the invalid classes break one thing of). */
  const validEvent = consumedEvent.chain((event) => envelopeOf(event, validPayload(event, someOrder)).map((envelope) => ({ event, envelope })));

  const garbageBytes = invalid('garbage bytes', fc.record({ subject: anySubject, body: fc.uint8Array({ maxLength: 2_048 }) }));

  const notJson = invalid(
    'not JSON',
    fc.oneof(
      fc.record({ subject: anySubject, body: hostileString({ maxLength: 200 }).map(text) }),
      // A valid event cut short.
      fc.tuple(validEvent, fc.nat()).map(([{ event, envelope }, cut]) => {
        const json = JSON.stringify(envelope);
        return { subject: event.subject, body: text(json.slice(0, cut % json.length)) };
      }),
      // A raw control byte (NUL, say) between the tokens or inside a string of a valid event; not one JSON takes for white space.
      fc.tuple(validEvent, fc.nat(), fc.integer({ min: 0, max: 0x1f }).filter((byte) => ![0x09, 0x0a, 0x0d].includes(byte))).map(([{ event, envelope }, at, byte]) => {
        const json = text(JSON.stringify(envelope));
        const i = at % json.length;
        return { subject: event.subject, body: new Uint8Array([...json.subarray(0, i), byte, ...json.subarray(i)]) };
      }),
    ),
  );

  const notAnEnvelope = invalid('JSON that is not an envelope', fc.record({ subject: anySubject, body: fc.jsonValue({ maxDepth: 4 }).map((value) => text(JSON.stringify(value))) }));

  const brokenEnvelope = invalid(
    'an envelope with a field broken or missing',
    fc
      .tuple(validEvent, fc.constantFrom('id', 'type', 'schemaVersion', 'occurredAt', 'aggregateId', 'correlationId', 'causationId'), fc.option(fc.oneof(wrongValue, hostileString(), fc.uuid(), fc.integer())))
      .map(([{ event, envelope }, field, value]) => {
        const broken: Envelope = { ...envelope };
        if (value === null) delete broken[field];
        else broken[field] = value;
        return { event, broken };
      })
      .filter(({ broken }) => !envelopeSchema.safeParse(broken).success)
      .map(({ event, broken }) => ({ subject: event.subject, body: text(JSON.stringify(broken)) })),
  );

  const wrongPayload = invalid(
    'an envelope whose payload breaks its schema',
    validEvent
      .chain(({ event, envelope }) => {
        const payload = envelope.payload as Record<string, unknown>;
        const keys = Object.keys(payload);
        const mutated = fc.oneof(
          fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(payload).filter(([k]) => k !== key))),
          fc.tuple(fc.constantFrom(...keys), wrongValue).map(([key, value]) => ({ ...payload, [key]: value })),
          fc.jsonValue({ maxDepth: 3 }),
        );
        return mutated.map((p) => ({ event, envelope: { ...envelope, payload: p } }));
      })
      .filter(({ event, envelope }) => !event.payload.safeParse(envelope.payload).success)
      .map(({ event, envelope }) => ({ subject: event.subject, body: text(JSON.stringify(envelope)) })),
  );

  const unknownVersion = invalid(
    'an unknown or impossible schemaVersion',
    fc
      .tuple(validEvent, fc.oneof(fc.integer({ min: 2, max: INT32_MAX }), fc.constantFrom(Number.MAX_SAFE_INTEGER, 0, -1, 1.5, '1', null, 1e308)))
      .filter(([{ event }, version]) => typeof version !== 'number' || !findEventDefinition(event.type, version))
      .map(([{ event, envelope }, version]) => ({ subject: event.subject, body: text(JSON.stringify({ ...envelope, schemaVersion: version })) })),
  );

  const unknownTypeOnKnownSubject = invalid(
    'an unknown type on a known subject',
    fc
      .tuple(validEvent, fc.oneof(token, hostileString({ minLength: 1 }), poisonedString))
      .filter(([{ event }, type]) => type !== event.subject && !ALL_EVENTS.some((e) => e.type === type))
      .map(([{ event, envelope }, type]) => ({ subject: event.subject, body: text(JSON.stringify({ ...envelope, type })) })),
  );

  const typeNotItsSubject = invalid(
    'a known event on another event’s subject',
    fc
      .tuple(validEvent, consumedEvent)
      .filter(([{ event }, other]) => other.subject !== event.subject)
      .map(([{ envelope }, other]) => ({ subject: other.subject, body: text(JSON.stringify(envelope)) })),
  );

  const unknownSubjectEvent = invalid(
    'an event of no known type on a subject a wildcard consumer reads',
    fc
      .tuple(validEvent, unknownSubject)
      .map(([{ envelope }, subject]) => ({ subject, body: text(JSON.stringify({ ...envelope, type: subject })) })),
  );

  const pollution = fc.oneof(
    fc.constant('{"polluted":true}'),
    fc.uuid().map((id) => `{"orderId":"${id}","schemaVersion":1,"isAdmin":true}`),
    fc.constant('null'),
  );
  const prototypeKeys = fc.oneof(
    invalid(
      'prototype keys in an invalid event',
      fc.tuple(fc.oneof(validEvent, validEvent.map(({ event, envelope }) => ({ event, envelope: { ...envelope, payload: {} } }))), pollution).map(([{ event, envelope }, p]) => ({
        subject: event.subject,
        body: text(withPrototypeKeys(JSON.stringify({ ...envelope, schemaVersion: 0 }), p)),
      })),
    ),
    wellFormed(
      'prototype keys in a well-formed event about an unknown order',
      fc.tuple(unknownOrderEvent, pollution).map(([{ event, envelope }, p]) => ({ subject: event.subject, body: text(withPrototypeKeys(JSON.stringify(envelope), p)) })),
    ),
  );

  const poisonedStrings = fc.oneof(
    invalid(
      'NUL or a lone surrogate in the type',
      fc.tuple(validEvent, poisonedString).map(([{ event, envelope }, type]) => ({ subject: event.subject, body: text(JSON.stringify({ ...envelope, type })) })),
    ),
    invalid(
      'NUL or a lone surrogate in the ids',
      fc.tuple(validEvent, poisonedString, fc.constantFrom('id', 'aggregateId', 'correlationId')).map(([{ event, envelope }, value, field]) => ({
        subject: event.subject,
        body: text(JSON.stringify({ ...envelope, [field]: value, payload: { ...(envelope.payload as object), orderId: value } })),
      })),
    ),
    wellFormed(
      'NUL or a lone surrogate in the strings of a well-formed event about an unknown order',
      fc.tuple(unknownOrderEvent, poisonedString, poisonedString).map(([{ event, envelope }, key, value]) => ({
        subject: event.subject,
        body: text(JSON.stringify({ ...envelope, [key]: value, payload: { ...(envelope.payload as object), [key]: value } })),
      })),
    ),
  );

  const depth = fc.integer({ min: 64, max: 20_000 });
  const shape = fc.constantFrom('array' as const, 'object' as const);
  const deepNesting = fc.oneof(
    invalid(
      'deep nesting as the body',
      fc.record({ subject: anySubject, body: fc.tuple(depth, shape).map(([d, s]) => text(nested(d, s))) }),
    ),
    invalid(
      'deep nesting as the payload',
      fc.tuple(validEvent, depth, shape).map(([{ event, envelope }, d, s]) => ({ subject: event.subject, body: text(jsonWith({ ...envelope, payload: MARKER }, MARKER, nested(d, s))) })),
    ),
    wellFormed(
      'deep nesting in an unknown field of a well-formed event about an unknown order',
      // Shallow enough to stay under the codec's bound on a payload's JSON values (two per level at most).
      fc.tuple(unknownOrderEvent, fc.integer({ min: 64, max: 4_000 }), shape).map(([{ event, envelope }, d, s]) => ({
        subject: event.subject,
        body: text(jsonWith({ ...envelope, payload: { ...(envelope.payload as object), extra: MARKER } }, MARKER, nested(d, s))),
      })),
    ),
  );

  const nearLimit = nearLimitMessages(context, { validEvent, unknownOrderEvent, anySubject });

  const tooLarge = fc
    .tuple(anySubject, fc.nat(65_536), fc.uint8Array({ minLength: 1, maxLength: 64 }))
    .map(([subject, over, pattern]): TooLargeCase => {
      const body = fill(pattern, context.maxPayload + 1 + over);
      return { kind: 'too-large', label: 'past max_payload', subject, body, [fc.toStringMethod]: () => `past max_payload on ${subject}: ${body.length} bytes` };
    });

  const realMsgId = fc
    .tuple(fc.oneof(fc.uint8Array({ maxLength: 256 }), hostileString().map(text), validEvent.map(({ envelope }) => text(JSON.stringify(envelope)))), fc.nat())
    .map(([body, realEvent]): RealMsgIdCase => ({
      kind: 'real-msg-id',
      label: 'a hostile body under the Nats-Msg-Id of a real event',
      body,
      realEvent,
      [fc.toStringMethod]: () => `a hostile body under the Nats-Msg-Id of real event #${realEvent}: ${describeBody(body)}`,
    }));

  return fc.oneof(
    { arbitrary: garbageBytes, weight: 5 },
    { arbitrary: notJson, weight: 5 },
    { arbitrary: notAnEnvelope, weight: 4 },
    { arbitrary: brokenEnvelope, weight: 5 },
    { arbitrary: wrongPayload, weight: 6 },
    { arbitrary: unknownVersion, weight: 3 },
    { arbitrary: unknownTypeOnKnownSubject, weight: 3 },
    { arbitrary: typeNotItsSubject, weight: 3 },
    { arbitrary: unknownSubjectEvent, weight: 3 },
    { arbitrary: prototypeKeys, weight: 3 },
    { arbitrary: poisonedStrings, weight: 4 },
    { arbitrary: deepNesting, weight: 3 },
    { arbitrary: unknownOrderEvent.map(({ event, envelope }) => stored('a well-formed event about an unknown order', 'unknown-aggregate', event.subject, text(JSON.stringify(envelope)))), weight: 4 },
    { arbitrary: realMsgId, weight: 3 },
    { arbitrary: nearLimit, weight: 1 },
    { arbitrary: tooLarge, weight: 1 },
  );
}

/** `pattern` repeated to `length` bytes. */
function fill(pattern: Uint8Array, length: number): Uint8Array {
  const body = new Uint8Array(length);
  for (let i = 0; i < length; i += pattern.length) body.set(pattern.subarray(0, Math.min(pattern.length, length - i)), i);
  return body;
}

/**
 * Bodies just under max_payload (with room for the message's own headers):
 * filler bytes, an invalid event padded out, an array field of thousands of
 * invalid items (one schema issue each, at least), and a well-formed event
 * about an unknown order with a huge unknown field (which the schema strips).
 */
function nearLimitMessages(
  context: HostileContext,
  arbitraries: {
    validEvent: fc.Arbitrary<{ event: EventDefinition; envelope: Envelope }>;
    unknownOrderEvent: fc.Arbitrary<{ event: EventDefinition; envelope: Envelope }>;
    anySubject: fc.Arbitrary<string>;
  },
): fc.Arbitrary<StoredCase> {
  const size = fc.nat(NEAR_LIMIT_SPREAD).map((under) => context.maxPayload - HEADER_ROOM - under);
  const padded = (envelope: Envelope, key: string, target: number) => {
    const json = JSON.stringify({ ...envelope, payload: { ...(envelope.payload as object), [key]: '' } });
    return text(json.replace(`"${key}":""`, `"${key}":"${'x'.repeat(Math.max(0, target - text(json).length))}"`));
  };
  const arrayFields = CONSUMED_EVENTS.flatMap((event) =>
    Object.entries(payloadSchemas.get(event)!.properties ?? {}).flatMap(([key, schema]) => (schema.type === 'array' ? [{ event, key }] : [])),
  );
  const manyIssues = arrayFields.length
    ? [
        fc
          .tuple(fc.constantFrom(...arrayFields), size)
          .chain(([{ event, key }, target]) =>
            envelopeOf(event, validPayload(event, fc.uuid())).map((envelope) => {
              const json = jsonWith({ ...envelope, payload: { ...(envelope.payload as object), [key]: MARKER } }, MARKER, '[]');
              const items = Math.floor((target - text(json).length) / 3);
              const body = text(json.replace(`"${key}":[]`, `"${key}":[${Array(items).fill('{}').join(',')}]`));
              return stored(`near max_payload: an array field of ${event.type} with hundreds of thousands of invalid items`, 'invalid', event.subject, body);
            }),
          ),
      ]
    : [];
  return fc.oneof(
    fc.tuple(arbitraries.anySubject, size, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([subject, target, pattern]) => stored('near max_payload: filler bytes', 'invalid', subject, fill(pattern, target))),
    fc.tuple(arbitraries.validEvent, size).map(([{ event, envelope }, target]) =>
      stored('near max_payload: an invalid event padded out', 'invalid', event.subject, padded({ ...envelope, schemaVersion: 0 }, 'filler', target)),
    ),
    ...manyIssues,
    fc.tuple(arbitraries.unknownOrderEvent, size).map(([{ event, envelope }, target]) =>
      stored('near max_payload: a well-formed event about an unknown order with a huge unknown field', 'unknown-aggregate', event.subject, padded(envelope, 'filler', target)),
    ),
  );
}
