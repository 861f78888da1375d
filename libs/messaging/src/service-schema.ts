/**
 * The PostgreSQL schema a service owns. Its `outbox_events` and `inbox_events`
 * tables have the same columns in every schema, so one outbox and one inbox
 * implementation serve all services.
 *
 * A lower-case identifier (orders, payments, loyalty_points) rather than a
 * union of today's names, so that a service added with the service-app
 * schematic needs no change here. It becomes part of SQL and of a LISTEN
 * channel name, so every function below checks it against SERVICE_SCHEMA_PATTERN.
 */
export type ServiceSchema = string;

/** Lower-case letters, digits and underscores, starting with a letter, at most 63 bytes (PostgreSQL's limit). */
export const SERVICE_SCHEMA_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

function checked(schema: ServiceSchema): ServiceSchema {
  if (!SERVICE_SCHEMA_PATTERN.test(schema)) {
    throw new Error(`Invalid service schema "${schema}": expected ${SERVICE_SCHEMA_PATTERN} (a plain lower-case PostgreSQL identifier)`);
  }
  return schema;
}

export function outboxTable(schema: ServiceSchema): string {
  return `"${checked(schema)}"."outbox_events"`;
}

export function inboxTable(schema: ServiceSchema): string {
  return `"${checked(schema)}"."inbox_events"`;
}

/** The LISTEN/NOTIFY channel that wakes the relay when an outbox row commits. */
export function outboxChannel(schema: ServiceSchema): string {
  return `outbox_${checked(schema)}`;
}
