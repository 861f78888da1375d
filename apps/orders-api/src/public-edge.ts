import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import { mergeApiDocuments, upstreamSharesOf, type UpstreamRoute } from '#http-api';
import type { OrdersEnv } from './orders-env.js';

/**
 * orders-api is the pipeline's one public edge: clients (and the console)
 * see one base URL, one OpenAPI document and one origin, while the catalog
 * and the figures stay in the services that own their data.
 */

/** The build's output, from this file's place in it (dist/apps/orders-api/src). */
const BUILD_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The whole public API's document, written by the build (tools/openapi). */
export const PUBLIC_API_DOCUMENT_FILE = path.join(BUILD_ROOT, 'openapi', 'public-api.json');

/** The console's bundle, written by the build (apps/console, Vite). */
export const CONSOLE_BUNDLE_DIR = path.join(BUILD_ROOT, 'console');

/** Where the console is served. */
export const CONSOLE_PATH = '/console';

const logger = new Logger('PublicEdge');

/** The routes of the public API that other services answer behind this one. */
export function upstreamRoutes(env: Pick<OrdersEnv, 'INVENTORY_URL' | 'ANALYTICS_URL'>): UpstreamRoute[] {
  return [
    { service: 'inventory', pathPrefix: '/api/v1/products', target: env.INVENTORY_URL },
    { service: 'analytics', pathPrefix: '/api/v1/analytics', target: env.ANALYTICS_URL },
  ];
}

/**
 * The document /docs serves: orders-api's own routes as the running app
 * describes them, with the other services' shares from the build's document.
 * Without that file (the app run from source) it is orders-api's own.
 */
export function publicApiDocument(own: OpenAPIObject, file = PUBLIC_API_DOCUMENT_FILE): OpenAPIObject {
  if (!existsSync(file)) {
    logger.warn(`${file} is missing (run npm run build): /docs describes orders-api's own routes only`);
    return own;
  }
  const built = JSON.parse(readFileSync(file, 'utf8')) as OpenAPIObject;
  return mergeApiDocuments({ service: 'orders-api', document: own }, upstreamSharesOf(built, 'orders-api'), built.info);
}

/** What the console learns from the deployment at /console/config.json (nothing secret: no key needed). */
export interface ConsoleSettings {
  /** The Jaeger UI's base URL, for the tracking page's link to an order's trace; null without one. */
  readonly jaegerUrl: string | null;
}

/**
 * The console's static bundle at /console, with its settings and index.html
 * for the page routes the browser asks for directly (/console/orders/{id}).
 * Hashed assets are cached for good; index.html never, so a new build is
 * picked up at once.
 */
export function serveConsole(app: INestApplication, settings: ConsoleSettings, dir = CONSOLE_BUNDLE_DIR): void {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`${index} is missing (run npm run build): the console is not served`);
    return;
  }
  const http = app as NestExpressApplication;
  http.use(`${CONSOLE_PATH}/config.json`, (_req: express.Request, res: express.Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(settings);
  });
  http.use(`${CONSOLE_PATH}/assets`, express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  http.use(CONSOLE_PATH, express.static(dir, { index: false, maxAge: 0 }));
  http.use(CONSOLE_PATH, (req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
