import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CommonEnv } from '#config';
import { ServiceProbes } from './service-probes.js';

/** Readiness checks of the service's own messaging: its consumers and its outbox. */
@Injectable()
export class MessagingHealthIndicator {
  constructor(
    private readonly probes: ServiceProbes,
    private readonly indicators: HealthIndicatorService,
    private readonly config: ConfigService<CommonEnv, true>,
  ) {}

  /** Up when every durable consumer the service runs exists on the server (and so do their streams). */
  async consumersExist(key = 'consumers') {
    const indicator = this.indicators.check(key);
    try {
      const consumers = await this.probes.consumers();
      return indicator.up({ durables: consumers.map((c) => c.durable) });
    } catch (error) {
      return indicator.down({ reason: (error as Error).message });
    }
  }

  /** Up while the outbox backlog is at most OUTBOX_BACKLOG_READY_MAX rows. */
  async outboxKeepingUp(key = 'outbox') {
    const indicator = this.indicators.check(key);
    const max = this.config.get('OUTBOX_BACKLOG_READY_MAX', { infer: true });
    try {
      const { unpublished, oldestAgeSeconds } = await this.probes.outbox();
      const details = { unpublished, max, oldestAgeSeconds };
      return unpublished <= max ? indicator.up(details) : indicator.down({ ...details, reason: 'backlog above OUTBOX_BACKLOG_READY_MAX' });
    } catch (error) {
      return indicator.down({ reason: (error as Error).message });
    }
  }
}
