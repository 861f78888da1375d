import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'analytics' });

await import('reflect-metadata');
const [{ runService }, { AnalyticsModule }, { configureAnalyticsHttp }, { API_HTTP_APP_OPTIONS }] = await Promise.all([
  import('#bootstrap'),
  import('./analytics.module.js'),
  import('./configure-http.js'),
  import('#http-api'),
]);

await runService({ name: 'analytics', module: AnalyticsModule, configureHttp: configureAnalyticsHttp, httpOptions: API_HTTP_APP_OPTIONS });
