import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'shipments' });

await import('reflect-metadata');
const [{ runService }, { ShipmentsModule }] = await Promise.all([
  import('#bootstrap'),
  import('./shipments.module.js'),
]);

await runService({ name: 'shipments', module: ShipmentsModule });
