import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DeadLetterStatus } from '#contracts';
import { PrismaService } from '#database';
import { cachedFor } from '#metrics';
import type { OrdersEnv } from '../orders-env.js';
import { ConsumerStates, type ConsumerState } from './consumer-states.js';
import type { OutboxBacklogView } from './outbox-backlog-summary.js';
import { OutboxBacklogReader } from './outbox-backlog-reports.js';
import { StageRates, type StageRate } from './stage-rates.js';

export interface OperationsSnapshot {
  at: string;
  consumers: ConsumerState[];
  stages: StageRate[];
  outbox: OutboxBacklogView[];
  deadLetters: { open: number };
}

/**
 * What the Operations page shows, gathered at once: the consumers' state
 * and the outbox reports from NATS, the open dead letters from PostgreSQL,
 * the stage rates from memory (sampled in the background). Several browsers
 * polling share one gathering per OPERATIONS_CACHE_MS, so the cost on NATS
 * and PostgreSQL does not grow with the number of watchers.
 */
@Injectable()
export class OperationsSnapshots {
  readonly current: () => Promise<OperationsSnapshot>;

  constructor(
    private readonly consumers: ConsumerStates,
    private readonly stages: StageRates,
    private readonly outbox: OutboxBacklogReader,
    private readonly prisma: PrismaService,
    config: ConfigService<OrdersEnv, true>,
  ) {
    this.current = cachedFor(config.get('OPERATIONS_CACHE_MS', { infer: true }), () => this.gather());
  }

  private async gather(): Promise<OperationsSnapshot> {
    const [consumers, outbox, open] = await Promise.all([
      this.consumers.read(),
      this.outbox.read(),
      // PENDING is work left undone; the others were replayed, discarded or applied all the same.
      this.prisma.deadLetterEvent.count({ where: { status: DeadLetterStatus.PENDING } }),
    ]);
    return { at: new Date().toISOString(), consumers, stages: this.stages.rates(), outbox, deadLetters: { open } };
  }
}
