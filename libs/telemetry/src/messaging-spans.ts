import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { MESSAGING_SYSTEM, MessagingAttributes as A, ORDER_ID_ATTRIBUTE } from './span-attributes.js';
import { contextFromHeaderRecord, contextFromNatsHeaders, injectTraceHeaders, type HeaderLookup, type HeaderValues } from './trace-headers.js';
import { isTracingEnabled } from './tracing-switch.js';

const TRACER_NAME = 'order-pipeline.messaging';

function tracer(): Tracer {
  // Looked up per span, not cached: the provider is registered after this module may have loaded.
  return trace.getTracer(TRACER_NAME);
}

/** Marks the span failed with the error recorded (OTel's convention for a failed operation). */
export function recordFailure(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

/** One delivery's CONSUMER span: run code in its context, mark it failed, end it. */
export interface DeliverySpan {
  run<T>(fn: () => Promise<T>): Promise<T>;
  fail(error: unknown): void;
  end(): void;
}

const UNTRACED: DeliverySpan = Object.freeze({ run: <T>(fn: () => Promise<T>) => fn(), fail: () => {}, end: () => {} });

/** A message as the consumer span needs it (a subset of JetStream's JsMsg). */
export interface ConsumedMessage {
  subject: string;
  headers?: HeaderLookup;
  seq: number;
  info: { deliveryCount: number };
}

/**
 * CONSUMER spans (`<subject> process`) for one durable consumer. The parts of
 * the name and attributes that are the same for every message are built once
 * here; a span per message adds only what differs (sequence, delivery count).
 */
export class ConsumerSpans {
  private readonly base: Attributes;
  private readonly names = new Map<string, string>();

  constructor(consumer: { durable: string; stream: string }) {
    this.base = Object.freeze({
      [A.SYSTEM]: MESSAGING_SYSTEM,
      [A.OPERATION_NAME]: 'process',
      [A.OPERATION_TYPE]: 'process',
      [A.CONSUMER_GROUP]: consumer.durable,
      [A.STREAM]: consumer.stream,
    });
  }

  /**
   * Runs `work` inside a CONSUMER span parented on the message's trace context,
   * so the handler's database spans and outbox writes belong to the same trace.
   * Every delivery (each retry too) is a span of its own; `work` calls
   * `fail(error)` when the delivery failed. With tracing off, `work` just runs.
   */
  run<T>(
    message: ConsumedMessage,
    event: { id: string; correlationId?: string },
    orderId: string | undefined,
    work: (fail: (error: unknown) => void) => Promise<T>,
  ): Promise<T> {
    const span = this.start(message, event, orderId);
    return span.run(() => work(span.fail)).finally(span.end);
  }

  /**
   * The same span, opened now and ended by the caller: for a message handled
   * in a batch, whose work runs in several steps shared with its neighbours.
   */
  start(message: ConsumedMessage, event: { id: string; correlationId?: string }, orderId: string | undefined): DeliverySpan {
    if (!isTracingEnabled()) return UNTRACED;
    const parent = contextFromNatsHeaders(message.headers);
    const span = tracer().startSpan(
      this.nameFor(message.subject),
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...this.base,
          [A.DESTINATION_NAME]: message.subject,
          [A.MESSAGE_ID]: event.id,
          [A.STREAM_SEQUENCE]: message.seq,
          [A.DELIVERY_COUNT]: message.info.deliveryCount,
          ...(event.correlationId && { [A.CONVERSATION_ID]: event.correlationId }),
          ...(orderId && { [ORDER_ID_ATTRIBUTE]: orderId }),
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    return {
      run: (fn) => context.with(active, fn),
      fail: (error) => recordFailure(span, error),
      end: () => span.end(),
    };
  }

  private nameFor(subject: string): string {
    let name = this.names.get(subject);
    if (!name) this.names.set(subject, (name = `${subject} process`));
    return name;
  }
}

export interface PublishedMessage {
  subject: string;
  msgId: string;
  headers?: Record<string, string>;
  orderId?: string;
}

/**
 * Runs one publish inside a PRODUCER span (`<subject> publish`). The span's
 * parent is the trace context stored in the message's headers (the request or
 * handler that wrote the outbox row), or the active one when there is none;
 * the headers handed to `publish` carry the producer span's own context, so
 * the consumer span becomes its child. With tracing off, the headers pass through.
 */
export function tracePublish<T>(message: PublishedMessage, publish: (headers: Record<string, string> | undefined) => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return publish(message.headers);
  const stored = message.headers ? contextFromHeaderRecord(message.headers) : undefined;
  const parent = stored && trace.getSpanContext(stored) ? stored : context.active();
  const span = tracer().startSpan(
    `${message.subject} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [A.SYSTEM]: MESSAGING_SYSTEM,
        [A.OPERATION_NAME]: 'publish',
        [A.OPERATION_TYPE]: 'send',
        [A.DESTINATION_NAME]: message.subject,
        [A.MESSAGE_ID]: message.msgId,
        ...(message.orderId && { [ORDER_ID_ATTRIBUTE]: message.orderId }),
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  const headers = { ...message.headers };
  injectTraceHeaders(active, headers);
  return endSpanWith(span, context.with(active, () => publish(headers)));
}

/**
 * Runs `work` in a span of its own that links to (rather than continues) the
 * trace stored in `headers`: for work about a message that happens later and
 * elsewhere, such as recording a dead letter.
 */
export function traceLinked<T>(
  name: string,
  headers: HeaderValues | undefined,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!isTracingEnabled()) return work();
  const linked = trace.getSpanContext(contextFromHeaderRecord(headers));
  const links: Link[] = linked ? [{ context: linked }] : [];
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes, links });
  return endSpanWith(span, context.with(trace.setSpan(context.active(), span), work));
}

/** Ends `span` when `work` settles, marked as failed when it rejects (the rejection goes on). */
function endSpanWith<T>(span: Span, work: Promise<T>): Promise<T> {
  return work
    .catch((error: unknown) => {
      recordFailure(span, error);
      throw error;
    })
    .finally(() => span.end());
}

