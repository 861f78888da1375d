export { startTracing, stopTracing, type TracingIdentity } from './start-tracing.js';
export { isTracingEnabled } from './tracing-switch.js';
export { untraced } from './untraced.js';
export { inCurrentTrace } from './in-current-trace.js';
export { activeTraceHeaders, type HeaderLookup, type HeaderValues } from './trace-headers.js';
export { ConsumerSpans, tracePublish, traceLinked, type ConsumedMessage, type DeliverySpan, type PublishedMessage } from './messaging-spans.js';
export { MessagingAttributes, MESSAGING_SYSTEM } from './span-attributes.js';
export { pinoParams, type LogOptions, type LogLevel } from './log-options.js';
export { logEvent, isLogged, setOperatorEventLevel, type OperatorEventName } from './operator-events.js';
