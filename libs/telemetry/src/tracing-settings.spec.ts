import { describe, it, expect } from '@jest/globals';
import { tracingSettingsFromEnv } from './tracing-settings.js';

describe('tracingSettingsFromEnv', () => {
  it('is off without an OTLP endpoint', () => {
    expect(tracingSettingsFromEnv({}).enabled).toBe(false);
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).enabled).toBe(false);
  });

  it('is on with an endpoint (the general or the traces one)', () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }).enabled).toBe(true);
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' }).enabled).toBe(true);
  });

  it('stays off when OTEL_SDK_DISABLED is true, endpoint or not', () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'TRUE' }).enabled).toBe(false);
  });
});
