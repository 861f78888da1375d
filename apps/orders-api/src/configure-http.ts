import type { INestApplication } from '@nestjs/common';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter.js';
import { DomainErrorsFilter } from './common/domain-errors.filter.js';
import { createValidationPipe } from './common/validation.js';
import { setUpOpenApi } from './openapi.js';

/** The API's HTTP surface: prefix, validation, error mapping, OpenAPI. main.ts and the tests that serve the API use it alike. */
export function configureOrdersHttp(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  // Nest tries the last registered filter first: domain errors, then the database check.
  app.useGlobalFilters(new DatabaseUnavailableFilter(app.getHttpAdapter()), new DomainErrorsFilter(app.getHttpAdapter()));
  setUpOpenApi(app);
}
