import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'payments' });

await import('reflect-metadata');
const [{ runService }, { PaymentsModule }] = await Promise.all([
  import('#bootstrap'),
  import('./payments.module.js'),
]);

await runService({ name: 'payments', module: PaymentsModule });
