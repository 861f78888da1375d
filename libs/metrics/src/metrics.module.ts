import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { collectDefaultMetrics, register } from 'prom-client';
import { HttpMetricsInterceptor } from './http-metrics.interceptor.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsSummaryLogger } from './metrics-summary.logger.js';
import './backlog-metrics.js';

export interface MetricsModuleOptions {
  /** Added to every series as `service`. */
  service: string;
  /** Interval of the METRICS log line; 0 turns it off. */
  summaryIntervalMs: number;
}

let defaultMetricsStarted = false;

/**
 * GET /metrics with the process' default metrics (CPU, RSS, heap, event-loop
 * lag), the pipeline's counters, the scrape-time backlog gauges, HTTP request
 * metrics, and the periodic METRICS log line.
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    // Once per process: prom-client refuses to register the same metric twice
    // (several services share a process in the integration tests).
    if (!defaultMetricsStarted) {
      collectDefaultMetrics();
      defaultMetricsStarted = true;
    }
    register.setDefaultLabels({ service: options.service });
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
        { provide: MetricsSummaryLogger, useFactory: () => new MetricsSummaryLogger(options.summaryIntervalMs) },
      ],
    };
  }
}
