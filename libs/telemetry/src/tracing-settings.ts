/**
 * Whether this process traces, decided once from the environment.
 *
 * Tracing is on only when there is somewhere to send spans: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT, or the traces-only
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and OTEL_SDK_DISABLED is not
 * "true". Without an endpoint the SDK would export to localhost:4318 and log
 * connection errors forever; off means no SDK, no loader hooks, and the
 * @opentelemetry/api no-op tracer.
 */
export interface TracingSettings {
  enabled: boolean;
}

export function tracingSettingsFromEnv(env: Record<string, string | undefined>): TracingSettings {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const disabled = env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
  return { enabled: Boolean(endpoint?.trim()) && !disabled };
}
