import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/** A prefix of the public API that another service serves behind this one. */
export interface UpstreamRoute {
  /** The service that answers, for the error message and the logs. */
  readonly service: string;
  /** A path prefix such as /api/v1/products: that path and everything under it. */
  readonly pathPrefix: string;
  /** The service's base URL, such as http://inventory:3004. */
  readonly target: string;
}

/**
 * Forwards each route's requests as they are (method, path, query, headers
 * with the API key, body, streamed answers such as Server-Sent Events) to the
 * service that owns them, so clients see one API on one origin: one OpenAPI
 * document, one base URL, one CORS policy. The upstream authenticates and
 * validates as it does for direct callers; this hop decides nothing. The
 * proxy is http-proxy-middleware rather than hand-written piping because
 * streaming, hop-by-hop headers and aborted clients are easy to get wrong.
 * Outgoing requests carry the trace context (OpenTelemetry's http
 * instrumentation), so the upstream's spans join the caller's trace.
 */
export function upstreamProxies(routes: readonly UpstreamRoute[]): RequestHandler[] {
  return routes.map((route) =>
    createProxyMiddleware<IncomingMessage, ServerResponse>({
      target: route.target,
      pathFilter: (path) => isUnder(path, route.pathPrefix),
      xfwd: true,
      on: { error: (error, _req, res) => answerUnavailable(res, route, error) },
    }) as RequestHandler,
  );
}

/** True for the prefix itself and paths below it, not for /api/v1/productsX. */
export function isUnder(path: string, prefix: string): boolean {
  const pathname = path.split('?', 1)[0]!;
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The upstream did not answer (down, restarting, refused): 502 in the API's error shape, so a client can retry. */
function answerUnavailable(res: ServerResponse | Socket, route: UpstreamRoute, error: Error): void {
  if (!('writeHead' in res)) {
    res.destroy();
    return;
  }
  if (res.headersSent) {
    // The answer had started (a stream): all that is left is to end it.
    res.end();
    return;
  }
  const body = JSON.stringify({
    statusCode: 502,
    error: 'Bad Gateway',
    message: `${route.service} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message}); try again shortly`,
  });
  res.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
