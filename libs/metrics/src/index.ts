export { MetricsModule, type MetricsModuleOptions } from './metrics.module.js';
export {
  eventsProcessed,
  duplicatesSkipped,
  retriesScheduled,
  deadLettersRecorded,
  paymentsSettled,
  handlerDuration,
  countDelivery,
  timeHandler,
  DeliveryMetrics,
  type DeliveryOutcome,
} from './pipeline-metrics.js';
export { registerProbes, type MetricsProbes, type OutboxBacklog, type ConsumerBacklog } from './probes.js';
export { summaryLine } from './metrics-summary.logger.js';
export { cachedFor, withTimeout } from './cached.js';
