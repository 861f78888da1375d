import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '#jetstream';
import { withTimeout } from '#metrics';

/** A round trip slower than this counts as down; below the readiness probe's 3 s timeout (helm values). */
const RTT_TIMEOUT_MS = 2_000;

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
      // While reconnecting the PING waits for a server; the timeout turns that wait into "down".
      const rttMs = await withTimeout(this.connection.rtt(), RTT_TIMEOUT_MS, 'NATS');
      return indicator.up({ rttMs });
    } catch (error) {
      return indicator.down({ reason: (error as Error).message });
    }
  }
}
