import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { jsonBodyParser } from './json-body.js';

export interface HttpSecurityOptions {
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins: readonly string[];
  maxBodyBytes: number;
  /**
   * Handlers that must see the raw request body, mounted after the headers
   * and CORS but before the body parser: a proxy forwards the body as it
   * arrived, which a parser would have consumed.
   */
  beforeBodyParser?: readonly RequestHandler[];
}

/**
 * What every public HTTP API of the pipeline sets before its routes:
 * helmet's security headers (and no X-Powered-By), CORS closed unless origins
 * are named, and the guarded JSON body parser. The app must be created with
 * `bodyParser: false` so that Nest does not add a parser of its own.
 */
export function applyHttpSecurity(app: INestApplication, options: HttpSecurityOptions): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Swagger UI loads its scripts from this origin and inlines styles, which helmet's default policy
  // allows. Not upgrade-insecure-requests: the API is served over plain HTTP behind a TLS ingress or
  // on localhost, where the browser would then fetch Swagger UI's assets over HTTPS and fail.
  express.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (options.corsOrigins.length > 0) {
    express.enableCors({ origin: [...options.corsOrigins], allowedHeaders: ['Content-Type', 'X-API-Key', 'Idempotency-Key', 'X-Correlation-Id'] });
  }
  for (const handler of options.beforeBodyParser ?? []) express.use(handler);
  for (const handler of jsonBodyParser({ maxBytes: options.maxBodyBytes })) express.use(handler);
}
