import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Link, type SpanContext } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { Writable } from 'node:stream';
import pino from 'pino';
import { logEvent } from './operator-events.js';
import { traceLogFields } from './trace-log-fields.js';
import { ConsumerSpans, traceLinked, tracePublish } from './messaging-spans.js';
import { activeTraceHeaders } from './trace-headers.js';
import { markTracingEnabled } from './tracing-switch.js';

/** What the tests read of a finished span (a slice of the SDK's ReadableSpan). */
interface EndedSpan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  parentSpanContext?: SpanContext;
  status: { code: SpanStatusCode; message?: string };
  links: Link[];
  events: Array<{ name: string }>;
  spanContext(): SpanContext;
}

/** The real SDK with a processor that keeps every finished span in memory. */
const ended: EndedSpan[] = [];
const sdk = new NodeSDK({
  spanProcessors: [
    {
      onStart: () => {},
      onEnd: (span: EndedSpan) => void ended.push(span),
      forceFlush: async () => {},
      shutdown: async () => {},
    } as never,
  ],
  metricReaders: [],
  logRecordProcessors: [],
});

const consumer = { durable: 'payments--orders-created', stream: 'ORDERS' };
const natsHeaders = (record: Record<string, string>) => ({ get: (key: string) => record[key] ?? '', keys: () => Object.keys(record) });
const message = (headers: Record<string, string>, deliveryCount = 1) => ({
  subject: 'orders.created',
  headers: natsHeaders(headers),
  seq: 42,
  info: { deliveryCount },
});

describe('messaging spans', () => {
  beforeAll(() => {
    sdk.start();
    markTracingEnabled();
  });
  afterAll(() => sdk.shutdown());
  beforeEach(() => {
    ended.length = 0;
  });

  /** Headers an outbox row would hold: the context of a request span. */
  function storedHeaders(): { headers: Record<string, string>; request: SpanContext } {
    const span = trace.getTracer('test').startSpan('POST /api/v1/orders', { kind: SpanKind.SERVER });
    const headers = { ...activeTraceHeaders(trace.setSpan(ROOT_CONTEXT, span)) };
    span.end();
    return { headers, request: span.spanContext() };
  }

  it('publishes under the stored context and hands the producer span’s context on', async () => {
    const { headers, request } = storedHeaders();
    let sent: Record<string, string> | undefined;
    await tracePublish({ subject: 'orders.created', msgId: 'm-1', headers, orderId: 'o-1' }, async (h) => {
      sent = h;
    });
    const producer = ended.find((s) => s.kind === SpanKind.PRODUCER)!;
    expect(producer.name).toBe('orders.created publish');
    expect(producer.parentSpanContext?.spanId).toBe(request.spanId);
    expect(producer.spanContext().traceId).toBe(request.traceId);
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'orders.created',
      'messaging.message.id': 'm-1',
      'messaging.operation.type': 'send',
      'order.id': 'o-1',
    });
    expect(sent!['traceparent']).toContain(producer.spanContext().spanId);
  });

  it('runs each delivery in its own consumer span under the producer, failed ones marked ERROR', async () => {
    const { headers } = storedHeaders();
    const spans = new ConsumerSpans(consumer);
    for (const deliveryCount of [1, 2]) {
      await spans.run(message(headers, deliveryCount), { id: 'm-1' }, 'o-1', async (fail) => {
        if (deliveryCount === 1) fail(new Error('gateway down'));
      });
    }
    const [first, second] = ended.filter((s) => s.kind === SpanKind.CONSUMER);
    for (const span of [first!, second!]) {
      expect(span.name).toBe('orders.created process');
      expect(span.parentSpanContext?.spanId).toBe(headers['traceparent']!.split('-')[2]);
      expect(span.attributes).toMatchObject({
        'messaging.consumer.group.name': 'payments--orders-created',
        'messaging.nats.message.stream_sequence': 42,
        'messaging.operation.type': 'process',
        'order.id': 'o-1',
      });
    }
    expect(first!.attributes['messaging.nats.message.delivery_count']).toBe(1);
    expect(first!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'gateway down' });
    expect(first!.events.map((e) => e.name)).toContain('exception');
    expect(second!.attributes['messaging.nats.message.delivery_count']).toBe(2);
    expect(second!.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('makes the handler’s outbox writes carry the consumer span’s context', async () => {
    const { headers } = storedHeaders();
    let written: Readonly<Record<string, string>> = {};
    await new ConsumerSpans(consumer).run(message(headers), { id: 'm-1' }, undefined, async () => {
      written = activeTraceHeaders();
    });
    const consumerSpan = ended.find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(written['traceparent']).toContain(consumerSpan.spanContext().spanId);
  });

  it('links a later span (a dead letter) to the stored trace instead of continuing it', async () => {
    const { headers, request } = storedHeaders();
    await traceLinked('orders.created dead-letter', headers, { 'messaging.system': 'nats' }, async () => {});
    const span = ended.find((s) => s.name === 'orders.created dead-letter')!;
    expect(span.links.map((l) => l.context.spanId)).toEqual([request.spanId]);
    expect(span.spanContext().traceId).not.toBe(request.traceId);
  });

  it('puts trace_id, span_id and the event fields on a log line written inside a handler', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
    const logger = pino({ base: { service: 'payments' }, mixin: traceLogFields }, sink);
    // The shape of Nest's Logger on top of nestjs-pino: an object becomes the line's fields.
    const nestLike = { debug: (o: object) => logger.debug(o), log: (o: object) => logger.info(o), warn: (o: object) => logger.warn(o), error: (o: object) => logger.error(o) };
    const { headers } = storedHeaders();

    await new ConsumerSpans(consumer).run(message(headers), { id: 'm-1' }, undefined, async () => {
      logEvent(nestLike, 'PAYMENT_RESULT', { orderId: 'o-1', outcome: 'captured', amountCents: 1250 }, 'order o-1: captured');
    });
    logEvent(nestLike, 'RETRY_SCHEDULED', { attempt: 1, max: 3, delayMs: 250 }, 'outside any span');

    const span = ended.find((s) => s.kind === SpanKind.CONSUMER)!.spanContext();
    expect(lines[0]).toMatchObject({
      level: 30,
      service: 'payments',
      trace_id: span.traceId,
      span_id: span.spanId,
      event: 'PAYMENT_RESULT',
      orderId: 'o-1',
      outcome: 'captured',
      amountCents: 1250,
      msg: 'order o-1: captured',
    });
    expect(lines[1]).toMatchObject({ level: 40, event: 'RETRY_SCHEDULED', attempt: 1, max: 3, delayMs: 250 });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });
});
