import 'reflect-metadata';
import { consumersOf } from '#contracts';
import { runService } from '#bootstrap';
import { AppModule } from './app.module.js';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter.js';
import { DomainErrorsFilter } from './common/domain-errors.filter.js';
import { createValidationPipe } from './common/validation.js';
import { setUpOpenApi } from './openapi.js';

await runService({
  name: 'orders-api',
  module: AppModule,
  consumers: consumersOf('orders-api'),
  configureHttp: (app) => {
    app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/live'] });
    app.useGlobalPipes(createValidationPipe());
    // Nest tries the last registered filter first: domain errors, then the database check.
    app.useGlobalFilters(new DatabaseUnavailableFilter(app.getHttpAdapter()), new DomainErrorsFilter(app.getHttpAdapter()));
    setUpOpenApi(app);
  },
});
