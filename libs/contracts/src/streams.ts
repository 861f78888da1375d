import type { ServiceName } from './services.js';

/**
 * JetStream streams, one per owning service. A service publishes only to its
 * own stream (its NATS user may publish no other's events: nats-permissions.ts);
 * consumers in other services read from it.
 */
export interface EventStreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly description: string;
  /** The one service that publishes the stream's events. */
  readonly service: ServiceName;
}

export const Streams = {
  ORDERS: { name: 'ORDERS', subjects: ['orders.>'], description: 'Events owned by orders-api', service: 'orders-api' },
  PAYMENTS: { name: 'PAYMENTS', subjects: ['payments.>'], description: 'Events owned by payments', service: 'payments' },
  SHIPMENTS: { name: 'SHIPMENTS', subjects: ['shipments.>'], description: 'Events owned by shipments', service: 'shipments' },
  INVENTORY: { name: 'INVENTORY', subjects: ['inventory.>'], description: 'Events owned by inventory', service: 'inventory' },
} as const satisfies Record<string, EventStreamDefinition>;

export type StreamName = keyof typeof Streams;
export type StreamDefinition = (typeof Streams)[StreamName];

/**
 * How long the server remembers a `Nats-Msg-Id`. An outbox row re-sent within
 * this window (relay crash between publish and mark-published) is dropped by
 * the server; a later re-send is still caught by the consumers' inbox.
 */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
