import { trace } from '@opentelemetry/api';

/**
 * `trace_id` and `span_id` of the active span, for every log line written
 * inside one (a pino mixin), so a line leads to its trace and back. With
 * tracing off there is never an active span. Always a new object: pino
 * merges the line's own fields into it.
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
