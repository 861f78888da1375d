import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ConsumerDefinition } from '#contracts';
import { PrismaService } from '#database';
import { NATS_CONNECTION } from '#jetstream';
import { OutboxBacklog } from '#messaging';
import { cachedFor, registerProbes, withTimeout, type ConsumerBacklog, type MetricsProbes, type OutboxBacklogSample } from '#metrics';

/** The durable consumers the service runs (the ones `runService` consumes). */
export const SERVICE_CONSUMERS = Symbol('SERVICE_CONSUMERS');
/** The PostgreSQL schema whose outbox the service's relay publishes. */
export const SERVICE_SCHEMA = Symbol('SERVICE_SCHEMA');

/**
 * Short enough that readiness notices an outage within one probe period,
 * long enough that a scrape, a readiness probe and the METRICS line landing
 * together make one query and one round of consumer info, not three.
 */
const CACHE_MS = 1_000;
/** Below the readiness probe's 3 s timeout (helm values), so a down dependency fails the probe instead of timing it out. */
const ANSWER_WITHIN_MS = 2_000;

/**
 * Measures what the metrics and readiness report about the service's own
 * messaging: its outbox backlog and its durable consumers' state on the server.
 * Registered with the metrics library for the scrape-time gauges.
 */
@Injectable()
export class ServiceProbes implements MetricsProbes, OnModuleInit, OnModuleDestroy {
  readonly outbox: () => Promise<OutboxBacklogSample>;
  readonly consumers: () => Promise<ConsumerBacklog[]>;
  private unregister?: () => void;

  constructor(
    prisma: PrismaService,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SERVICE_SCHEMA) schema: string,
    @Inject(SERVICE_CONSUMERS) private readonly definitions: readonly ConsumerDefinition[],
  ) {
    const backlog = new OutboxBacklog(prisma, schema);
    this.outbox = cachedFor(CACHE_MS, async () => ({
      schema,
      ...(await withTimeout(backlog.measure(), ANSWER_WITHIN_MS, 'PostgreSQL (outbox backlog)')),
    }));
    this.consumers = cachedFor(CACHE_MS, () =>
      withTimeout(this.readConsumers(), ANSWER_WITHIN_MS, 'NATS (consumer info)'),
    );
  }

  onModuleInit(): void {
    this.unregister = registerProbes(this);
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  /**
   * Consumer info of each durable. Throws when one is missing (the server's
   * "consumer not found"), which readiness reports: a service without its
   * consumers would take requests and never see the replies.
   */
  private async readConsumers(): Promise<ConsumerBacklog[]> {
    const jsm = await jetstreamManager(this.connection, { timeout: ANSWER_WITHIN_MS, checkAPI: false });
    return Promise.all(
      this.definitions.map(async (definition) => {
        const info = await jsm.consumers.info(definition.stream, definition.durable);
        return {
          stream: definition.stream,
          durable: definition.durable,
          numPending: info.num_pending,
          numAckPending: info.num_ack_pending,
        };
      }),
    );
  }
}
