/**
 * JetStream streams, one per owning service. A service publishes only to its
 * own stream; consumers in other services read from it.
 */
export const Streams = {
  ORDERS: { name: 'ORDERS', subjects: ['orders.>'], description: 'Events owned by orders-api' },
  PAYMENTS: { name: 'PAYMENTS', subjects: ['payments.>'], description: 'Events owned by payments' },
  SHIPMENTS: {
    name: 'SHIPMENTS',
    subjects: ['shipments.>'],
    description: 'Events owned by shipments',
  },
} as const;

export type StreamName = keyof typeof Streams;
export type StreamDefinition = (typeof Streams)[StreamName];

/**
 * How long the server remembers a `Nats-Msg-Id`. An outbox row re-sent within
 * this window (relay crash between publish and mark-published) is dropped by
 * the server; a later re-send is still caught by the consumers' inbox.
 */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
