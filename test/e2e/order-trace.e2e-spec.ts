import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Consumers, InventoryLowStock, InventoryOutOfStock, InventoryReserved, InventoryUpdated, OrderCreated, OrderState, PaymentSucceeded, ShipmentDispatched, ShipmentPrepared } from '#contracts';
import { PIPELINE_SERVICES, startPipeline, type Pipeline, type PipelineServiceName } from '#local-infra';
import { eventually } from './support/eventually.js';
import { apiClient } from './support/http.js';
import { OtlpReceiver, SpanKind, type ReceivedSpan } from './support/otlp-receiver.js';
import { orderRequest, placeOrder, waitUntilTerminal } from './support/orders.js';

/**
 * One order is one trace: the built services export spans over OTLP/HTTP to a
 * receiver inside this test, one order is driven to SHIPPED, and the trace is
 * checked hop by hop, including across the outbox (the relay's publish
 * continues the trace of the transaction that wrote the row).
 */
describe('order trace (built services exporting OTLP, real NATS JetStream and PostgreSQL)', () => {
  const receiver = new OtlpReceiver();
  const logDir = mkdtempSync(path.join(tmpdir(), 'order-trace-'));
  let pipeline: Pipeline;
  let orderId: string;
  let spans: ReceivedSpan[];
  let byId: Map<string, ReceivedSpan>;

  const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);
  /** The span and its ancestors, nearest first. */
  const lineage = (span: ReceivedSpan): ReceivedSpan[] => {
    const chain: ReceivedSpan[] = [];
    for (let s: ReceivedSpan | undefined = span; s; s = parentOf(s)) chain.push(s);
    return chain;
  };
  const ofKind = (kind: number) => spans.filter((span) => span.kind === kind);
  const logLines = (service: PipelineServiceName) =>
    readFileSync(path.join(logDir, `${service}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    const endpoint = await receiver.start();
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'debug',
    };
    pipeline = await startPipeline({
      databaseName: `e2e_order_trace_${randomBytes(4).toString('hex')}`,
      paymentSuccessRate: 1,
      paymentLatencyMs: 5,
      env: Object.fromEntries(PIPELINE_SERVICES.map((name) => [name, tracing])),
      logDir,
    });
    const api = apiClient(pipeline.api);
    const placed = await placeOrder(api, orderRequest(`e2e-trace-${randomBytes(4).toString('hex')}`, 1));
    orderId = placed.id;
    const [order] = await waitUntilTerminal(api, [orderId]);
    expect(order!.state).toBe(OrderState.SHIPPED);

    // Spans arrive in batches, children often before their parents: wait for
    // the last hop and for every parent of every span of the trace.
    spans = await eventually('the order trace, complete up to the SHIPPED transition', async () => {
      const created = receiver.spans.find((s) => s.name === `${OrderCreated.subject} publish` && s.attributes['order.id'] === orderId);
      if (!created) return undefined;
      const trace = receiver.trace(created.traceId);
      const ids = new Set(trace.map((s) => s.spanId));
      const lastHop = trace.some((s) => s.service === 'orders-api' && s.name === `${ShipmentDispatched.subject} process`);
      return lastHop && trace.every((s) => s.parentSpanId === '' || ids.has(s.parentSpanId)) ? trace : undefined;
    }, { timeoutMs: 30_000 });
    byId = new Map(spans.map((span) => [span.spanId, span]));
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('puts the trace of every event on the order’s timeline', async () => {
    const { body } = await apiClient(pipeline.api).get<{ events: Array<{ type: string; traceId: string | null }> }>(`/orders/${orderId}/events`);
    expect(body.events.length).toBeGreaterThanOrEqual(5);
    for (const event of body.events) expect({ type: event.type, traceId: event.traceId }).toEqual({ type: event.type, traceId: spans[0]!.traceId });
  });

  it('covers orders-api, inventory, payments, shipments and analytics in one trace', () => {
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['orders-api', 'inventory', 'payments', 'shipments', 'analytics']));
  });

  it('starts at the HTTP request that placed the order', () => {
    const roots = spans.filter((span) => span.parentSpanId === '');
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'orders-api', kind: SpanKind.SERVER, name: 'POST /api/v1/orders' });
    for (const span of spans) expect(lineage(span).at(-1)).toBe(roots[0]);
  });

  it('parents each publish on the request or handler whose transaction wrote the outbox row', () => {
    const producers = ofKind(SpanKind.PRODUCER);
    expect(producers.map((p) => p.name)).toEqual(
      expect.arrayContaining([OrderCreated, InventoryReserved, PaymentSucceeded, ShipmentPrepared, ShipmentDispatched].map((e) => `${e.subject} publish`)),
    );
    for (const producer of producers) {
      // The nearest request or message span above the publish is what caused it, in the same service.
      const cause = lineage(producer).slice(1).find((s) => s.kind === SpanKind.SERVER || s.kind === SpanKind.CONSUMER);
      expect({ producer: producer.name, causeFound: cause !== undefined }).toEqual({ producer: producer.name, causeFound: true });
      expect(cause!.service).toBe(producer.service);
    }
    const created = producers.find((p) => p.name === `${OrderCreated.subject} publish`)!;
    expect(lineage(created).find((s) => s.kind === SpanKind.SERVER)?.name).toBe('POST /api/v1/orders');
    const succeeded = producers.find((p) => p.name === `${PaymentSucceeded.subject} publish`)!;
    expect(lineage(succeeded).find((s) => s.kind === SpanKind.CONSUMER)).toMatchObject({
      service: 'payments',
      name: `${InventoryReserved.subject} process`,
    });
    const reserved = producers.find((p) => p.name === `${InventoryReserved.subject} publish`)!;
    expect(lineage(reserved).find((s) => s.kind === SpanKind.CONSUMER)).toMatchObject({ service: 'inventory', name: `${OrderCreated.subject} process` });
  });

  it('names and tags publish spans by the messaging conventions', () => {
    // Stock events are about a product, not the order: they carry no order.id (the order's trace still holds them).
    const aboutProducts = new Set<string>([InventoryUpdated, InventoryLowStock, InventoryOutOfStock].map((e) => e.subject));
    for (const producer of ofKind(SpanKind.PRODUCER)) {
      const subject = producer.name.replace(/ publish$/, '');
      expect(producer.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.destination.name': subject,
      });
      expect({ subject, orderId: producer.attributes['order.id'] }).toEqual({ subject, orderId: aboutProducts.has(subject) ? undefined : orderId });
      expect(producer.attributes['messaging.message.id']).toEqual(expect.any(String));
    }
  });

  it('makes every consumer span a child of the publish of the message it processed', () => {
    const consumers = ofKind(SpanKind.CONSUMER);
    expect(consumers.length).toBeGreaterThanOrEqual(5);
    for (const consumer of consumers) {
      const producer = parentOf(consumer)!;
      expect({ consumer: consumer.name, producerKind: producer.kind }).toEqual({ consumer: consumer.name, producerKind: SpanKind.PRODUCER });
      expect(producer.attributes['messaging.message.id']).toBe(consumer.attributes['messaging.message.id']);
      expect(consumer.name).toBe(`${producer.attributes['messaging.destination.name']} process`);
      expect(consumer.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': producer.attributes['messaging.destination.name'],
        'messaging.nats.message.delivery_count': 1,
        'order.id': orderId,
      });
      expect(consumer.attributes['messaging.nats.message.stream_sequence']).toBeGreaterThan(0);
    }
    const charge = consumers.find((c) => c.service === 'payments')!;
    expect(charge.attributes['messaging.consumer.group.name']).toBe(Consumers.paymentsOnInventoryReserved.durable);
  });

  it('shows the handlers’ database work (their pg statements, inbox included) inside their consumer spans', () => {
    for (const service of ['inventory', 'payments', 'shipments'] as const) {
      const inConsumer = spans.filter(
        (s) => s.service === service && s.name.startsWith('pg.query') && lineage(s).some((l) => l.kind === SpanKind.CONSUMER),
      );
      const statements = inConsumer.map((s) => String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? ''));
      const touches = (table: string) => statements.some((text) => text.includes(table));
      expect({ service, inbox: touches('inbox_events'), outbox: touches('outbox_events') }).toEqual({ service, inbox: true, outbox: true });
    }
  });

  it('puts trace_id, span_id and the event fields on log lines written inside a handler', () => {
    const traceId = spans[0]!.traceId;
    const received = logLines('payments').find((line) => line['event'] === 'EVENT_RECEIVED' && line['subject'] === InventoryReserved.subject);
    const consumerSpan = spans.find((s) => s.service === 'payments' && s.kind === SpanKind.CONSUMER)!;
    expect(received).toMatchObject({ service: 'payments', trace_id: traceId, span_id: consumerSpan.spanId, delivery: 1 });

    const result = logLines('payments').find((line) => line['event'] === 'PAYMENT_RESULT' && line['orderId'] === orderId);
    expect(result).toMatchObject({ service: 'payments', trace_id: traceId, outcome: 'captured', amountCents: expect.any(Number) });
    expect(byId.get(result!['span_id'] as string)?.service).toBe('payments');

    const shipped = logLines('orders-api').find((line) => line['event'] === 'STATE_CHANGE' && line['to'] === OrderState.SHIPPED);
    expect(shipped).toMatchObject({ trace_id: traceId, orderId, from: OrderState.SHIPMENT_PREPARED });
  });
});
