import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { OrdersEnv } from '../orders-env.js';

/** The live-updates settings of orders-env.ts (WS_*), read once. */
@Injectable()
export class LiveUpdatesSettings {
  readonly authTimeoutMs: number;
  readonly pingIntervalMs: number;
  readonly maxBufferedBytes: number;
  readonly maxSubscriptions: number;

  constructor(config: ConfigService<OrdersEnv, true>) {
    this.authTimeoutMs = config.get('WS_AUTH_TIMEOUT_MS', { infer: true });
    this.pingIntervalMs = config.get('WS_PING_INTERVAL_MS', { infer: true });
    this.maxBufferedBytes = config.get('WS_MAX_BUFFERED_BYTES', { infer: true });
    this.maxSubscriptions = config.get('WS_MAX_SUBSCRIPTIONS', { infer: true });
  }
}
