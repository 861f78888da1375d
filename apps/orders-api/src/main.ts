import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'orders-api' });

await import('reflect-metadata');
const [{ runService }, { AppModule }, { configureOrdersHttp, ORDERS_HTTP_APP_OPTIONS }] = await Promise.all([
  import('#bootstrap'),
  import('./app.module.js'),
  import('./configure-http.js'),
]);

await runService({ name: 'orders-api', module: AppModule, configureHttp: configureOrdersHttp, httpOptions: ORDERS_HTTP_APP_OPTIONS });
