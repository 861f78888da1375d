import { context } from '@opentelemetry/api';
import { isTracingEnabled } from './tracing-switch.js';

/**
 * `fn`, bound to the trace context active now: for a callback that runs
 * later, elsewhere (after a shared transaction commits), whose log lines
 * must still carry the trace of the work that registered it.
 */
export function inCurrentTrace<F extends (...args: never[]) => unknown>(fn: F): F {
  if (!isTracingEnabled()) return fn;
  return context.bind(context.active(), fn);
}
