import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

/** Headers as stored in a dead letter's `headers` column: a repeated header keeps every value. */
export type HeaderRecord = Record<string, string | string[]>;

/** The headers of a stored message, every value kept. */
export function headersToRecord(headers: MsgHdrs | undefined): HeaderRecord {
  const record: HeaderRecord = {};
  for (const key of headers?.keys() ?? []) {
    const values = headers!.values(key);
    record[key] = values.length === 1 ? values[0]! : values;
  }
  return record;
}

/**
 * The headers that may be sent again with a copy or a replay. JetStream's own
 * `Nats-*` headers are left out: `Nats-Msg-Id` would make the server drop the
 * copy as a duplicate of the original, and `Nats-Expected-*` would make it
 * refuse the publish, since they stated facts about the original's stream.
 */
export function republishableHeaders(record: HeaderRecord): HeaderRecord {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.toLowerCase().startsWith('nats-')));
}

/** NATS headers from a record; values are put on one line (NATS refuses CR and LF in a value). */
export function recordToHeaders(record: HeaderRecord): MsgHdrs {
  const headers = natsHeaders();
  for (const [key, value] of Object.entries(record)) {
    for (const one of [value].flat()) headers.append(key, oneLine(one));
  }
  return headers;
}

/** Reads a header record back from the jsonb column, ignoring what is not a string. */
export function asHeaderRecord(json: unknown): HeaderRecord {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return {};
  const record: HeaderRecord = {};
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'string') record[key] = value;
    else if (Array.isArray(value)) record[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return record;
}

export function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
