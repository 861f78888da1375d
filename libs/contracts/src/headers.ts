import type { ServiceName } from './services.js';

/** NATS message headers the pipeline sets or reads. */
export const Headers = {
  /** JetStream de-duplicates publishes by this id within the stream's duplicate window. */
  MSG_ID: 'Nats-Msg-Id',
  /** W3C trace context, copied from the outbox row so one order is one trace. */
  TRACEPARENT: 'traceparent',
  TRACESTATE: 'tracestate',
} as const;

/**
 * The JetStream key-value bucket that mirrors each order's last-known state:
 * key the order id, value the order as GET /api/v1/orders/:id shows it. It is
 * written by orders-api's outbox relay, a KV put committed with the change
 * (kvSubject), so the mirror costs no consumed message.
 */
export const ORDER_STATE_BUCKET = 'order_state';

/** A JetStream key-value bucket and the one service that writes it. */
export interface KvBucketDefinition {
  readonly name: string;
  readonly service: ServiceName;
}

export const KvBuckets = {
  ORDER_STATE: { name: ORDER_STATE_BUCKET, service: 'orders-api' },
} as const satisfies Record<string, KvBucketDefinition>;

/** The stream that holds a bucket's entries. */
export function kvStreamName(bucket: string): string {
  return `KV_${bucket}`;
}

/** The subject a put of `key` in a KV bucket is published on (a bucket is the stream `KV_<bucket>`). */
export function kvSubject(bucket: string, key: string): string {
  return `$KV.${bucket}.${key}`;
}
