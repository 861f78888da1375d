/** NATS message headers the pipeline sets or reads. */
export const Headers = {
  /** JetStream de-duplicates publishes by this id within the stream's duplicate window. */
  MSG_ID: 'Nats-Msg-Id',
  /** W3C trace context, copied from the outbox row so one order is one trace. */
  TRACEPARENT: 'traceparent',
  TRACESTATE: 'tracestate',
} as const;

/** The JetStream key-value bucket that mirrors each order's last-known state. */
export const ORDER_STATE_BUCKET = 'order_state';
