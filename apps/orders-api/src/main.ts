import { startTracing } from '#telemetry';

// Tracing patches http, express and pg as they load, so it starts before the
// app is imported; everything else comes in through dynamic imports below.
await startTracing({ serviceName: 'orders-api' });

await import('reflect-metadata');
const [
  { runService },
  { AppModule },
  { DatabaseUnavailableFilter },
  { DomainErrorsFilter },
  { createValidationPipe },
  { setUpOpenApi },
] = await Promise.all([
    import('#bootstrap'),
    import('./app.module.js'),
    import('./common/database-unavailable.filter.js'),
    import('./common/domain-errors.filter.js'),
    import('./common/validation.js'),
    import('./openapi.js'),
  ]);

await runService({
  name: 'orders-api',
  module: AppModule,
  configureHttp: (app) => {
    app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
    app.useGlobalPipes(createValidationPipe());
    // Nest tries the last registered filter first: domain errors, then the database check.
    app.useGlobalFilters(new DatabaseUnavailableFilter(app.getHttpAdapter()), new DomainErrorsFilter(app.getHttpAdapter()));
    setUpOpenApi(app);
  },
});
