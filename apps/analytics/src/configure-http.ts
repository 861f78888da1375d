import type { INestApplication } from '@nestjs/common';
import { configureApiHttp } from '#http-api';
import { ANALYTICS_PUBLIC_API } from './public-api.js';

/** The analytics API's HTTP surface: the same edge as orders-api's (libs/http-api configureApiHttp). */
export function configureAnalyticsHttp(app: INestApplication): void {
  configureApiHttp(app, { docs: ANALYTICS_PUBLIC_API.docs });
}
