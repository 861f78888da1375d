import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { tracingSettingsFromEnv } from './tracing-settings.js';
import { markTracingEnabled } from './tracing-switch.js';
import { ORDER_ID_ATTRIBUTE, PROBE_PATHS } from './span-attributes.js';

export interface TracingIdentity {
  /** `service.name` of every span this process exports. */
  serviceName: string;
  /** `service.version`; default: SERVICE_VERSION, else the version in ./package.json. */
  serviceVersion?: string;
}

/** `/api/v1/orders/<uuid>...`: the order a request is about, for Jaeger's tag search. */
const ORDER_PATH = /\/orders\/([0-9a-f-]{36})(?:\/|\?|$)/i;

/** Modules the import-in-the-middle hook intercepts (see startTracing). */
const ESM_HOOKED_MODULES = ['express'];

interface Flushable {
  shutdown(): Promise<void>;
}

let sdk: Flushable | undefined;

/**
 * Starts OpenTelemetry tracing when the environment asks for it (see
 * tracing-settings.ts), and does nothing otherwise: the SDK, the exporter and
 * the instrumentations are imported only here, only when on.
 *
 * Must run before the application is imported: instrumentations patch modules
 * as they load, and the loader hook sees only modules loaded after it is
 * registered. So main.ts calls this first and then imports the app dynamically.
 */
export async function startTracing(identity: TracingIdentity, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!tracingSettingsFromEnv(env).enabled || sdk) return;
  // Only express needs the ES module loader hook: Nest imports it, and require
  // hooks never see that. http, pg and Prisma are patched without it (measured:
  // their spans appear either way). Limited to express, so no other module is
  // wrapped; the hook still costs about a second of start-up, and only when on.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ESM_HOOKED_MODULES } });

  const [{ NodeSDK }, { OTLPTraceExporter }, { resourceFromAttributes }, http, express, pg, prisma] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
    import('@prisma/instrumentation'),
  ]);

  const started = new NodeSDK({
    // serviceName too: the SDK applies it after resource detection, so OTEL_SERVICE_NAME cannot rename us by accident.
    serviceName: identity.serviceName,
    resource: resourceFromAttributes({ 'service.name': identity.serviceName, 'service.version': identity.serviceVersion ?? serviceVersion(env) }),
    // Wrapped in a BatchSpanProcessor by the SDK (OTEL_BSP_* apply).
    traceExporter: new OTLPTraceExporter(),
    // Traces only: metrics are prom-client's job, logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new http.HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => PROBE_PATHS.test(request.url ?? ''),
        requestHook: (span, request) => {
          const orderId = 'url' in request ? ORDER_PATH.exec(request.url ?? '')?.[1] : undefined;
          if (orderId) span.setAttribute(ORDER_ID_ATTRIBUTE, orderId);
        },
      }),
      new express.ExpressInstrumentation(),
      // Only queries inside a request or a message: the relay's polling would otherwise be a trace a second.
      new pg.PgInstrumentation({ requireParentSpan: true }),
      new prisma.PrismaInstrumentation(),
    ],
  });
  started.start();
  sdk = started;
  markTracingEnabled();
}

/** Exports the spans still buffered; call before the process exits. A no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}

/** Services start from the repository (or image) root, where package.json names the release. */
function serviceVersion(env: NodeJS.ProcessEnv): string {
  if (env['SERVICE_VERSION']) return env['SERVICE_VERSION'];
  try {
    return (JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
