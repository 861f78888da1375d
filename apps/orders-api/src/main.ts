import 'reflect-metadata';
import { consumersOf } from '#contracts';
import { runService } from '#bootstrap';
import { AppModule } from './app.module.js';
import { DomainErrorsFilter } from './common/domain-errors.filter.js';
import { createValidationPipe } from './common/validation.js';
import { setUpOpenApi } from './openapi.js';

await runService({
  name: 'orders-api',
  module: AppModule,
  consumers: consumersOf('orders-api'),
  configureHttp: (app) => {
    app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new DomainErrorsFilter(app.getHttpAdapter()));
    setUpOpenApi(app);
  },
});
