/**
 * Attribute names used on this project's spans. The messaging ones are the
 * OpenTelemetry messaging semantic conventions; `order.id` is ours, set on
 * HTTP and messaging spans so one search (`order.id=<id>`) finds an order's trace.
 */
export const ORDER_ID_ATTRIBUTE = 'order.id';

export const MessagingAttributes = {
  SYSTEM: 'messaging.system',
  OPERATION_NAME: 'messaging.operation.name',
  OPERATION_TYPE: 'messaging.operation.type',
  DESTINATION_NAME: 'messaging.destination.name',
  MESSAGE_ID: 'messaging.message.id',
  CONVERSATION_ID: 'messaging.message.conversation_id',
  CONSUMER_GROUP: 'messaging.consumer.group.name',
  /** Not (yet) in the conventions for NATS; named after the Kafka/RabbitMQ ones. */
  DELIVERY_COUNT: 'messaging.nats.message.delivery_count',
  STREAM: 'messaging.nats.stream.name',
  STREAM_SEQUENCE: 'messaging.nats.message.stream_sequence',
} as const;

export const MESSAGING_SYSTEM = 'nats';

/** Requests nobody wants a trace or an access log of: probes and scrapes arrive every few seconds. */
export const PROBE_PATHS = /^\/(health|metrics)(\/|\?|$)/;
