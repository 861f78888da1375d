import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { traceLogFields } from './trace-log-fields.js';
import { PROBE_PATHS } from './span-attributes.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LogOptions {
  service: string;
  level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON; default: when stdout is a terminal. */
  pretty?: boolean;
}


/**
 * The service's logger (nestjs-pino): one JSON line per entry with `service`,
 * and `trace_id`/`span_id` whenever a span is active; pretty when a person
 * watches the terminal. One access-log line per request (pino-http), none for
 * /health and /metrics; successful requests at debug, so the default level
 * shows only what went wrong.
 */
export function pinoParams(options: LogOptions): Params {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  return {
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      mixin: traceLogFields,
      transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
      autoLogging: { ignore: (request: IncomingMessage) => PROBE_PATHS.test(request.url ?? '') },
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'debug',
      // Request details once, on the access line; other lines carry only the request id.
      quietReqLogger: true,
      // Credentials never reach a log line (the API key header included).
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
    },
  };
}
