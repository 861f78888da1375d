export { MessagingModule, type UnitsOfWorkClient } from './messaging.module.js';
export { KV_PUT_TYPE, OutboxWriter, newEvent, type KvPut, type NewEvent } from './outbox-writer.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { RetentionPruner, uuidV7Floor, type PruneResult, type RetentionOptions } from './retention-pruner.js';
export { OutboxBacklog } from './outbox-backlog.js';
export { Inbox } from './inbox.js';
export { IdempotentConsumer, type ApplyOutcome } from './apply-once.js';
export { causedBy, causedByRequest, type EventCause } from './event-cause.js';
export type { ServiceSchema } from './service-schema.js';
