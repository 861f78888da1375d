import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'inventory' });

await import('reflect-metadata');
const [{ runService }, { InventoryModule }] = await Promise.all([
  import('#bootstrap'),
  import('./inventory.module.js'),
]);

await runService({ name: 'inventory', module: InventoryModule });
