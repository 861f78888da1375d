import { Logger } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { isObservable, lastValueFrom } from 'rxjs';
import { orderIdOf, type ConsumerDefinition, type EventEnvelope } from '#contracts';
import { DeliveryMetrics } from '#metrics';
import { ConsumerSpans, isLogged, logEvent, type DeliverySpan } from '#telemetry';
import { AckBatch } from './ack-batch.js';
import { decodeMessage, type DecodedMessage } from './codec.js';
import { connectToNats, type NatsConnectionOptions } from './connection.js';
import { JetStreamDefaults, type ConsumerSettings } from './constants.js';
import { JetStreamContext, type DeliveryLimits } from './context.js';
import { InvalidMessageError, isPermanentFailure } from './errors.js';
import { BATCH_HANDLER, type BatchOutcomes, type DeliveredEvent } from './event-batch.js';
import { KeyedBatcher } from './keyed-batcher.js';
import { KeyedQueue } from './keyed-queue.js';
import { provisionConsumers, provisionStreams, type ProvisionedStream } from './provisioning.js';
import { retryDelayMs } from './retry-delay.js';
import { Semaphore } from './semaphore.js';

export interface JetStreamServerOptions extends NatsConnectionOptions {
  /** The durable consumers this service reads; each gets its own consume loop. */
  consumers: readonly ConsumerDefinition[];
  /** The streams to provision before the consumers; default every stream of the contracts. */
  streams?: readonly ProvisionedStream[];
  /** Their max age (ms; 0 for ever); default JetStreamDefaults.streamMaxAgeMs. */
  streamMaxAgeMs?: number;
  consumerSettings?: Partial<ConsumerSettings>;
  retry?: RetryOptions;
}

export interface RetryOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Errors that mean a dependency is down (e.g. the database restarting)
   * rather than that this message failed. They back off from a longer base,
   * so a short outage does not spend every delivery within a second and
   * dead-letter messages that would have succeeded a few seconds later.
   */
  outage?: { isOutage: (error: unknown) => boolean; baseDelayMs: number };
}

type Status = 'connected' | 'disconnected' | 'draining' | 'closed';

type MessageHandler = ReturnType<Server['getHandlerByPattern']>;

/** What a message on one subject needs, looked up once per consumer and subject. */
interface SubjectRoute {
  handler: MessageHandler;
  metrics: DeliveryMetrics;
}

/**
 * What one consume loop needs per message, built once per consumer: its
 * handler slots, its spans, and per subject the handler and metric labels.
 */
interface ConsumerRuntime {
  consumer: ConsumerDefinition;
  slots: Semaphore;
  spans: ConsumerSpans;
  routes: Map<string, SubjectRoute>;
}

/** A decoded message waiting for its batch. */
interface BatchedMessage {
  message: JsMsg;
  envelope: EventEnvelope;
  orderingKey: string;
  route: SubjectRoute;
}

/**
 * A Nest transport strategy for JetStream durable pull consumers.
 *
 * Each message is decoded and validated against the contracts, handed to the
 * `@EventPattern(subject)` handler, and acknowledged with `ack()` only after
 * the handler (and so its database transaction) finished. A handler error is
 * retried after a growing delay (`nak(delay)`); an invalid message or a
 * permanent error is terminated at once.
 */
export class JetStreamServer extends Server<Record<string, Function>, Status> implements CustomTransportStrategy {
  protected override readonly logger = new Logger(JetStreamServer.name);
  override readonly propagatesEventHandlerErrors = true;

  private connection?: NatsConnection;
  private readonly settings: ConsumerSettings;
  private readonly limits: DeliveryLimits;
  private readonly subscriptions: ConsumerMessages[] = [];
  /** Messages taken from a consume loop and not yet settled; close() waits for them. */
  private running = 0;
  private allSettled?: () => void;
  private closing = false;
  private readonly inOrder = new KeyedQueue();
  private readonly acks = new AckBatch((error) =>
    this.logger.warn(`an ack could not be sent, the message will be redelivered: ${error instanceof Error ? error.message : String(error)}`),
  );

  constructor(private readonly options: JetStreamServerOptions) {
    super();
    this.settings = { ...JetStreamDefaults, ...options.consumerSettings };
    this.limits = { maxDeliver: this.settings.maxDeliver, ackWaitMs: this.settings.ackWaitMs };
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.connection = await connectToNats(this.options);
      this.watchConnectionStatus(this.connection);
      const jsm = await jetstreamManager(this.connection);
      await provisionStreams(jsm, { maxAgeMs: this.options.streamMaxAgeMs }, this.options.streams);
      await provisionConsumers(jsm, this.options.consumers, this.settings);
      this.assertEveryConsumedSubjectHasHandlers();
      for (const consumer of this.options.consumers) {
        const messages = await jetstream(this.connection).consumers
          .get(consumer.stream, consumer.durable)
          .then((c) => c.consume({ max_messages: this.settings.pullBatch }));
        this.subscriptions.push(messages);
        const batchHandler = this.batchHandlerOf(consumer);
        const runtime = this.runtimeFor(consumer);
        void (batchHandler ? this.batchConsumeLoop(runtime, batchHandler, messages) : this.consumeLoop(runtime, messages));
      }
      this._status$.next('connected');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops pulling, lets running handlers finish, then drains the connection. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this._status$.next('draining');
    for (const messages of this.subscriptions) messages.stop();
    await Promise.race([
      new Promise<void>((resolve) => (this.running === 0 ? resolve() : (this.allSettled = resolve))),
      new Promise((resolve) => setTimeout(resolve, JetStreamDefaults.drainTimeoutMs).unref()),
    ]);
    this.acks.flush();
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
    this._status$.next('closed');
  }

  on(): never {
    throw new Error('JetStreamServer does not support event listeners; use `status`.');
  }

  unwrap<T>(): T {
    if (!this.connection) throw new Error('JetStreamServer is not listening yet.');
    return this.connection as T;
  }

  private runtimeFor(consumer: ConsumerDefinition): ConsumerRuntime {
    return {
      consumer,
      slots: new Semaphore(this.settings.concurrency),
      // Span names and fixed attributes are built once, not per message.
      spans: new ConsumerSpans(consumer),
      routes: new Map(),
    };
  }

  private async consumeLoop(runtime: ConsumerRuntime, messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      // Waits only while every slot is busy: awaiting a free slot would still
      // cost a promise and microtask turns per message.
      if (!runtime.slots.tryAcquire()) await runtime.slots.acquire();
      this.running += 1;
      void this.process(runtime, message);
    }
  }

  /** The consumer's `@EventBatchPattern` handler, if it has one instead of handlers per subject. */
  private batchHandlerOf(consumer: ConsumerDefinition): NonNullable<MessageHandler> | undefined {
    const handler = this.getHandlerByPattern(consumer.filterSubject);
    return handler?.extras?.[BATCH_HANDLER] ? handler : undefined;
  }

  /**
   * A batch handler's loop: each message is decoded as it arrives, and the
   * messages that arrived while the previous batch ran go to the handler
   * together, one per ordering key (KeyedBatcher). One batch at a time per
   * consumer, so one order's events are still handled in stream order.
   */
  private async batchConsumeLoop(runtime: ConsumerRuntime, handler: NonNullable<MessageHandler>, messages: ConsumerMessages): Promise<void> {
    const batcher = new KeyedBatcher<BatchedMessage>(
      this.settings.pullBatch,
      (item) => item.orderingKey,
      (batch) => this.runBatch(runtime, handler, batch),
    );
    for await (const message of messages) {
      this.running += 1;
      const route = this.routeFor(runtime, message.subject);
      const decoded = this.decodeOrSettle(runtime, route, message);
      if (!decoded) {
        this.settled();
        continue;
      }
      await batcher.add({ message, envelope: decoded.envelope, orderingKey: decoded.orderingKey, route });
    }
  }

  /**
   * Hands one batch to its handler and settles each message by its outcome:
   * acked when done (the handler resolved, so its commit is behind it),
   * retried or terminated alone when it failed. A handler that throws fails
   * the whole batch, each message retried on its own schedule.
   */
  private async runBatch(runtime: ConsumerRuntime, handler: NonNullable<MessageHandler>, batch: BatchedMessage[]): Promise<void> {
    const spans: DeliverySpan[] = batch.map((item) => runtime.spans.start(item.message, item.envelope, orderIdOf(item.envelope)));
    if (isLogged('EVENT_RECEIVED')) {
      // In each message's span, so the line carries its trace.
      batch.forEach((item, index) =>
        spans[index].run(async () =>
          logEvent(this.logger, 'EVENT_RECEIVED', eventFields(runtime.consumer, item.message, item.envelope), `${runtime.consumer.durable}: ${item.message.subject} #${item.message.seq}`),
        ),
      );
    }
    const events: DeliveredEvent[] = batch.map((item, index) => ({
      envelope: item.envelope,
      delivery: new JetStreamContext([item.message, runtime.consumer, item.envelope, this.limits]),
      inTrace: spans[index].run,
    }));
    const started = performance.now();
    let outcomes: BatchOutcomes;
    try {
      const result: unknown = await handler(events, new BaseRpcContext([runtime.consumer]));
      outcomes = (isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result) as BatchOutcomes;
      if (!Array.isArray(outcomes) || outcomes.length !== batch.length) {
        throw new Error(`the batch handler of ${runtime.consumer.durable} answered no outcome per message`);
      }
    } catch (error) {
      outcomes = batch.map(() => ({ outcome: 'failed', error }));
    }
    const seconds = (performance.now() - started) / 1_000;
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      item.route.metrics.observe(seconds);
      if (outcome.outcome === 'failed') {
        spans[index].fail(outcome.error);
        this.settle(runtime, item.route, item.message, outcome.error);
      } else {
        // Not awaited, batched with the other acks of this turn (see deliver()).
        this.acks.add(item.message);
        item.route.metrics.count('acked');
      }
      spans[index].end();
      this.settled();
    });
  }

  /** The message decoded and checked against its contract; an invalid one is settled (terminated) here. */
  private decodeOrSettle(runtime: ConsumerRuntime, route: SubjectRoute, message: JsMsg): DecodedMessage | undefined {
    try {
      return decodeMessage(message.data, message.subject);
    } catch (error) {
      this.settle(runtime, route, message, error);
      return undefined;
    }
  }

  private settled(): void {
    if (--this.running === 0) this.allSettled?.();
  }

  /** One message from decode to settle; frees its slot however it ends. */
  private async process(runtime: ConsumerRuntime, message: JsMsg): Promise<void> {
    try {
      const route = this.routeFor(runtime, message.subject);
      const decoded = this.decodeOrSettle(runtime, route, message);
      if (!decoded) return;
      // One order's events wait for each other; other orders' events go ahead.
      const { envelope, orderingKey: key } = decoded;
      // Each delivery in a CONSUMER span that continues the producer's trace
      // (a redelivery is a span of its own; a failed one is marked ERROR).
      await this.inOrder.run(key, () =>
        route.metrics.time(() =>
          runtime.spans.run(message, envelope, key, (fail) => this.deliver(runtime, route, message, envelope, fail)),
        ),
      );
    } finally {
      runtime.slots.release();
      this.settled();
    }
  }

  private async deliver(
    runtime: ConsumerRuntime,
    route: SubjectRoute,
    message: JsMsg,
    envelope: EventEnvelope,
    fail: (error: unknown) => void,
  ): Promise<void> {
    const { consumer } = runtime;
    try {
      if (isLogged('EVENT_RECEIVED')) {
        logEvent(this.logger, 'EVENT_RECEIVED', eventFields(consumer, message, envelope), `${consumer.durable}: ${message.subject} #${message.seq}`);
      }
      if (!route.handler) throw new InvalidMessageError(`no handler for ${message.subject}`);
      const result: unknown = await route.handler(envelope, new JetStreamContext([message, consumer, envelope, this.limits]));
      // Nest hands back an Observable only when interceptors or several
      // handlers are involved; a plain result needs no Observable around it.
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      // After the commit, and not awaited: ackAck() would cost a request and a
      // round trip per message (it capped consume+ack at a fifth of the raw
      // client's rate). Batched with the other acks of this event-loop turn,
      // into one socket write. If this ack is lost the message comes back
      // after ack wait, and the inbox skips it; close() sends pending acks, then drains.
      this.acks.add(message);
      route.metrics.count('acked');
    } catch (error) {
      fail(error);
      this.settle(runtime, route, message, error);
    }
  }

  /**
   * The subject's handler and metric labels. Nest's handler lookup JSON-parses
   * the pattern on every call, throwing and catching a SyntaxError for a plain
   * subject; handlers are fixed once listening, so each subject is looked up once.
   */
  private routeFor(runtime: ConsumerRuntime, subject: string): SubjectRoute {
    let route = runtime.routes.get(subject);
    if (!route) {
      route = { handler: this.getHandlerByPattern(subject), metrics: new DeliveryMetrics(runtime.consumer.durable, subject) };
      runtime.routes.set(subject, route);
    }
    return route;
  }

  private settle(runtime: ConsumerRuntime, route: SubjectRoute, message: JsMsg, error: unknown): void {
    const { consumer } = runtime;
    const { metrics } = route;
    const attempt = message.info.deliveryCount;
    const reason = error instanceof Error ? error.message : String(error);
    const max = this.settings.maxDeliver;
    const fields = { ...eventFields(consumer, message), attempt, max, error: reason };
    if (isPermanentFailure(error)) {
      logEvent(this.logger, 'PROCESSING_ERROR', { ...fields, terminated: true }, `${consumer.durable}: terminating ${message.subject} #${message.seq}: ${reason}`);
      // No reason string: NATS 2.9 ignores a term() with one and redelivers.
      message.term();
      metrics.count('terminated');
      return;
    }
    const delay = this.retryDelayFor(error, attempt);
    message.nak(delay);
    if (attempt >= max) {
      // The server gives up on it now (and the dead-letter office records it); the nak only hands it back early.
      logEvent(this.logger, 'PROCESSING_ERROR', { ...fields, terminated: false }, `${consumer.durable}: ${message.subject} #${message.seq} failed on its last attempt ${attempt}/${max}: ${reason}`);
      metrics.count('terminated');
    } else {
      logEvent(
        this.logger,
        'RETRY_SCHEDULED',
        { ...fields, delayMs: delay },
        `${consumer.durable}: ${message.subject} #${message.seq} failed on attempt ${attempt}/${max}, retry in ${delay} ms: ${reason}`,
      );
      metrics.count('retried');
    }
  }

  private retryDelayFor(error: unknown, attempt: number): number {
    const { baseDelayMs, maxDelayMs, outage } = this.options.retry ?? {};
    const base = outage?.isOutage(error) ? outage.baseDelayMs : baseDelayMs;
    return retryDelayMs(attempt, base, maxDelayMs);
  }

  private assertEveryConsumedSubjectHasHandlers(): void {
    const patterns = [...this.getHandlers().keys()];
    for (const consumer of this.options.consumers) {
      const prefix = consumer.filterSubject.replace(/>$/, '');
      const handled = patterns.some((pattern) =>
        consumer.filterSubject.endsWith('>') ? pattern.startsWith(prefix) : pattern === consumer.filterSubject,
      );
      if (!handled) throw new Error(`consumer ${consumer.durable} has no @EventPattern handler`);
    }
  }

  private watchConnectionStatus(connection: NatsConnection): void {
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') this._status$.next('disconnected');
        if (status.type === 'reconnect') this._status$.next('connected');
      }
    })();
  }
}

/** The fields every operator event about a delivery carries (the envelope only once it decoded). */
function eventFields(consumer: ConsumerDefinition, message: JsMsg, envelope?: EventEnvelope) {
  return {
    consumer: consumer.durable,
    subject: message.subject,
    streamSeq: message.seq,
    delivery: message.info.deliveryCount,
    ...(envelope && { eventId: envelope.id, eventType: envelope.type, aggregateId: envelope.aggregateId, correlationId: envelope.correlationId }),
  };
}
