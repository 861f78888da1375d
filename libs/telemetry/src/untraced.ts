import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { isTracingEnabled } from './tracing-switch.js';

/**
 * Runs background housekeeping (the outbox relay's polling) without spans of
 * its own: a poll a second would otherwise be a trace a second, burying the
 * ones about orders. Spans given an explicit parent inside (a publish that
 * continues a stored trace) are still recorded.
 */
export function untraced<T>(work: () => T): T {
  if (!isTracingEnabled()) return work();
  return context.with(suppressTracing(context.active()), work);
}
