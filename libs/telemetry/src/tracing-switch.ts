/**
 * One flag, read by the hot-path helpers (messaging spans, trace headers) so
 * that with tracing off they return before allocating anything. Set once by
 * startTracing(), before the application is imported.
 */
let enabled = false;

export function isTracingEnabled(): boolean {
  return enabled;
}

export function markTracingEnabled(): void {
  enabled = true;
}
