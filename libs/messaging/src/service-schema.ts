/**
 * The PostgreSQL schema a service owns. Its `outbox_events` and `inbox_events`
 * tables have the same columns in every schema, so one outbox and one inbox
 * implementation serve all services.
 */
export type ServiceSchema = 'orders' | 'payments' | 'shipments';

export function outboxTable(schema: ServiceSchema): string {
  return `"${schema}"."outbox_events"`;
}

export function inboxTable(schema: ServiceSchema): string {
  return `"${schema}"."inbox_events"`;
}

/** The LISTEN/NOTIFY channel that wakes the relay when an outbox row commits. */
export function outboxChannel(schema: ServiceSchema): string {
  return `outbox_${schema}`;
}
