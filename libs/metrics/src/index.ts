export { MetricsModule } from './metrics.module.js';
export { duplicatesSkipped, deadLettersRecorded, paymentsSettled, databaseRoundTrips, rowsPruned, requestsShed, DeliveryMetrics } from './pipeline-metrics.js';
export { registerProbes, type MetricsProbes, type OutboxBacklogSample, type ConsumerBacklog } from './probes.js';
export { summaryLine } from './metrics-summary.logger.js';
export { cachedFor, withTimeout } from './cached.js';
export { metricValue } from './scrape.js';
