import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams } from '#contracts';
import { NATS_CONNECTION } from '#jetstream';
import { withTimeout } from '#metrics';
import type { OrdersEnv } from '../orders-env.js';
import { PIPELINE_STAGES } from './pipeline-stages.js';
import { RateWindow } from './rate-window.js';

/** JetStream's "stream not found". */
const STREAM_NOT_FOUND = 10059;
/** Below the sample interval's default: a slow server skips a sample instead of piling them up. */
const ANSWER_WITHIN_MS = 1_500;

export interface StageRate {
  name: string;
  subject: string;
  stream: string;
  perSecond: number;
  total: number;
  windowSeconds: number;
}

/**
 * How fast each stage of the saga happens: the rate at which its event is
 * produced, from the number of messages its stream holds on its subject,
 * sampled every OPERATIONS_SAMPLE_INTERVAL_MS and differenced over the last
 * OPERATIONS_RATE_WINDOW_MS (RateWindow).
 *
 * Why that measure: the stream's per-subject count counts each event once
 * (the server drops a re-sent Nats-Msg-Id, so relay retries do not inflate
 * it), it moves whether or not the stage's consumers keep up (a stopped
 * service shows as pending on its consumers, not as a stage that stopped
 * upstream), and it costs one stream info per stream per sample, whatever
 * the traffic and however many browsers watch. A consumer's delivered
 * sequence would measure consumption instead and count redeliveries. The
 * one caveat: with STREAM_MAX_AGE_MS set (default: keep for ever), messages
 * ageing out lower the counts, so the rate reads low by the rate at which
 * events were produced that long ago.
 */
@Injectable()
export class StageRates implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StageRates.name);
  private readonly window: RateWindow;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sampling = false;
  private failing = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    config: ConfigService<OrdersEnv, true>,
  ) {
    this.intervalMs = config.get('OPERATIONS_SAMPLE_INTERVAL_MS', { infer: true });
    this.window = new RateWindow(config.get('OPERATIONS_RATE_WINDOW_MS', { infer: true }));
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
    void this.sample();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Every stage's rate over the window as last sampled (0 per second until two samples). */
  rates(): StageRate[] {
    const windowSeconds = this.window.spanSeconds();
    return PIPELINE_STAGES.map(({ name, event }) => ({
      name,
      subject: event.subject,
      stream: event.stream,
      ...this.window.rate(event.subject),
      windowSeconds,
    }));
  }

  /** Reads every stream's per-subject counts once and adds them to the window. */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const counts = await withTimeout(this.readCounts(), ANSWER_WITHIN_MS, 'NATS (stream info)');
      this.window.add({ atMs: Date.now(), counts });
      if (this.failing) this.logger.log('stage rates are sampled again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`stage rate sample failed, retrying every ${this.intervalMs} ms: ${(error as Error).message}`);
      this.failing = true;
    } finally {
      this.sampling = false;
    }
  }

  private async readCounts(): Promise<Map<string, number>> {
    const jsm = await jetstreamManager(this.connection, { timeout: ANSWER_WITHIN_MS, checkAPI: false });
    const streams = [...new Set(PIPELINE_STAGES.map((stage) => Streams[stage.event.stream].name))];
    const infos = await Promise.all(
      streams.map((stream) =>
        jsm.streams.info(stream, { subjects_filter: '>' }).catch((error: unknown) => {
          // A stream no service created yet holds nothing yet.
          if (error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND) return undefined;
          throw error;
        }),
      ),
    );
    const counts = new Map<string, number>();
    for (const info of infos) {
      for (const [subject, count] of Object.entries(info?.state.subjects ?? {})) counts.set(subject, count);
    }
    return counts;
  }
}
