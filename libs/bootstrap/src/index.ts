export { runService, type RunServiceOptions } from './run-service.js';
export { ServiceCoreModule, type ServiceCoreOptions } from './service-core.module.js';
export { HealthModule } from './health.module.js';
export { ServiceProbes } from './service-probes.js';
export { serviceNatsOptions, type ServiceNatsOptions } from './nats-options.js';
