import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter } from '@opentelemetry/api';
import { isTracingEnabled } from './tracing-switch.js';

/** Headers as stored with an outbox row or a dead letter: a repeated header may keep several values. */
export type HeaderValues = Record<string, string | string[] | undefined>;

/** The part of NATS `MsgHdrs` the getter needs, so this lib does not depend on the client. */
export interface HeaderLookup {
  get(key: string): string;
  keys(): string[];
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The active trace context as W3C headers (`traceparent`, `tracestate`), to be
 * stored with an outbox row so the relay can continue the trace later. With
 * tracing off, a shared empty object: nothing is allocated per event.
 */
export function activeTraceHeaders(active: Context = context.active()): Readonly<Record<string, string>> {
  if (!isTracingEnabled()) return EMPTY;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier;
}

/** Writes the trace context of `ctx` into `carrier` (a publish's headers). */
export function injectTraceHeaders(ctx: Context, carrier: Record<string, string>): void {
  propagation.inject(ctx, carrier);
}

const recordGetter: TextMapGetter<HeaderValues> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key] ?? findIgnoringCase(carrier, key),
};

const natsGetter: TextMapGetter<HeaderLookup> = {
  keys: (carrier) => carrier.keys(),
  // MsgHdrs.get answers '' for a missing header; the propagator wants undefined.
  get: (carrier, key) => carrier.get(key) || undefined,
};

/** The trace context stored in a header record (outbox row, dead letter); ROOT_CONTEXT if none. */
export function contextFromHeaderRecord(headers: HeaderValues | undefined): Context {
  if (!headers || !isTracingEnabled()) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, recordGetter);
}

/** The trace context a NATS message carries; ROOT_CONTEXT if none. */
export function contextFromNatsHeaders(headers: HeaderLookup | undefined): Context {
  if (!headers || !isTracingEnabled()) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, natsGetter);
}

function findIgnoringCase(carrier: HeaderValues, key: string): string | string[] | undefined {
  const lower = key.toLowerCase();
  for (const name of Object.keys(carrier)) if (name.toLowerCase() === lower) return carrier[name];
  return undefined;
}
