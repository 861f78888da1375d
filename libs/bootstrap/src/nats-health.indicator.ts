import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '#jetstream';

/** Up while the service's NATS connection is open and not reconnecting. */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isConnected(key = 'nats') {
    const indicator = this.indicators.check(key);
    if (this.connection.isClosed()) return indicator.down({ reason: 'connection closed' });
    try {
      const rttMs = await this.connection.rtt();
      return indicator.up({ rttMs });
    } catch (error) {
      return indicator.down({ reason: (error as Error).message });
    }
  }
}
