export { startTracing, stopTracing, type TracingIdentity } from './start-tracing.js';
export { tracingSettingsFromEnv, type TracingSettings } from './tracing-settings.js';
export { isTracingEnabled } from './tracing-switch.js';
export { untraced } from './untraced.js';
export {
  activeTraceHeaders,
  contextFromHeaderRecord,
  contextFromNatsHeaders,
  type HeaderLookup,
  type HeaderValues,
} from './trace-headers.js';
export { ConsumerSpans, tracePublish, traceLinked, recordFailure, type ConsumedMessage, type PublishedMessage } from './messaging-spans.js';
export { ORDER_ID_ATTRIBUTE, MessagingAttributes, MESSAGING_SYSTEM } from './span-attributes.js';
export { traceLogFields } from './trace-log-fields.js';
export { pinoParams, type LogOptions, type LogLevel } from './log-options.js';
export { logEvent, isLogged, setOperatorEventLevel, type OperatorEventName } from './operator-events.js';
