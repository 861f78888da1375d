export * from './postgres.js';
export * from './nats-server.js';
export { ensureSystemBinary, type SystemBinary } from './system-binary.js';
export * from './free-port.js';
export * from './process-group.js';
export * from './pipeline.js';
export * from './api-keys.js';
export * from './server-sent-events.js';
export * from './catalog.js';
