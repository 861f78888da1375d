import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { MAX_INPUT_DEPTH } from './unsafe-input.js';

/** The default largest body: an order of 100 lines is about 10 kB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Fixed answers for bodies refused before parsing: they never echo the input. */
const REFUSALS = {
  notJson: { status: 400, message: 'The body is not valid JSON.' },
  tooDeep: { status: 400, message: `The body is nested deeper than ${MAX_INPUT_DEPTH} levels.` },
  tooLarge: { status: 413, message: 'The body is larger than this API accepts.' },
  notJsonType: { status: 415, message: 'The body must be JSON, sent with Content-Type: application/json.' },
  unreadable: { status: 400, message: 'The body could not be read.' },
} as const;

type Refusal = (typeof REFUSALS)[keyof typeof REFUSALS];

class BodyRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * The JSON body parser (Express's own, i.e. body-parser) with the size limit
 * checked while reading, the nesting depth checked on the raw bytes before
 * JSON.parse and the validators ever recurse, and fixed error answers. A body
 * of another content type is refused with 415 instead of arriving unparsed.
 */
export function jsonBodyParser(options: { maxBytes?: number } = {}): RequestHandler[] {
  const parse = express.json({
    limit: options.maxBytes ?? DEFAULT_MAX_BODY_BYTES,
    strict: true,
    verify: (_request, _response, raw) => {
      if (nestingDepth(raw) > MAX_INPUT_DEPTH) throw new BodyRefused(REFUSALS.tooDeep);
    },
  });
  const refuseOtherTypes: RequestHandler = (request, response, next) => {
    if (hasBody(request) && !request.is('application/json')) {
      send(response, REFUSALS.notJsonType);
      return;
    }
    next();
  };
  const answerParserErrors = (error: unknown, _request: Request, response: Response, next: NextFunction): void => {
    const refusal = refusalFor(error);
    if (refusal) send(response, refusal);
    else next(error);
  };
  return [refuseOtherTypes, parse, answerParserErrors as unknown as RequestHandler];
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The deepest nesting of objects and arrays in JSON text; brackets inside strings do not count. */
export function nestingDepth(raw: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

function refusalFor(error: unknown): Refusal | undefined {
  if (error instanceof BodyRefused) return error.refusal;
  if (error instanceof Error && error.cause instanceof BodyRefused) return error.cause.refusal;
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return undefined;
  if (type === 'entity.parse.failed') return REFUSALS.notJson;
  if (type === 'entity.too.large') return REFUSALS.tooLarge;
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return REFUSALS.notJsonType;
  return REFUSALS.unreadable;
}

function send(response: Response, refusal: Refusal): void {
  response.status(refusal.status).json({ statusCode: refusal.status, error: ERROR_NAMES[refusal.status], message: refusal.message });
}

const ERROR_NAMES: Record<number, string> = { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };
