import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'inventory' });

await import('reflect-metadata');
const [{ runService }, { InventoryModule }, { configureInventoryHttp }, { API_HTTP_APP_OPTIONS }] = await Promise.all([
  import('#bootstrap'),
  import('./inventory.module.js'),
  import('./configure-http.js'),
  import('#http-api'),
]);

await runService({ name: 'inventory', module: InventoryModule, configureHttp: configureInventoryHttp, httpOptions: API_HTTP_APP_OPTIONS });
