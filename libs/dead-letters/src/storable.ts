import { DeadLetterLimits } from './constants.js';
import type { HeaderRecord } from './message-headers.js';

/**
 * What of a message nobody vetted can be stored as it is. A dead letter keeps
 * the body byte for byte (message-body.ts); the other columns describe it in
 * text and jsonb, and PostgreSQL refuses NUL in text and `\u0000` in jsonb,
 * Prisma's query protocol refuses a lone surrogate in any string, and its
 * query engine a JSON value nested deeper than it parses. Each of those, met
 * in a hostile message, made the dead letter fail to record again and again,
 * and the advisory wait unacknowledged for ever.
 */

/** NUL, and a surrogate without its other half. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/**
 * `value` as text PostgreSQL and Prisma accept: NUL and lone surrogates
 * become U+FFFD (the replacement character), and past `maxLength` it is cut,
 * saying how much was left out.
 */
export function storableText(value: string, maxLength: number = Number.POSITIVE_INFINITY): string {
  const cut = value.length > maxLength ? `${value.slice(0, maxLength)}… (${value.length - maxLength} more characters)` : value;
  return cut.replace(UNSTORABLE_ALL, '\ufffd');
}

/** Whether `value` (parsed JSON) can be stored as jsonb: no NUL or lone surrogate in a key or string, nested at most `maxDepth` deep. */
export function isStorableJson(value: unknown, maxDepth: number = DeadLetterLimits.jsonDepth): boolean {
  // Without recursion: the value may be nested far deeper than the stack allows.
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: next, depth } = pending.pop()!;
    if (typeof next === 'string') {
      if (UNSTORABLE.test(next)) return false;
    } else if (next !== null && typeof next === 'object') {
      if (depth >= maxDepth) return false;
      for (const [key, child] of Object.entries(next)) {
        if (UNSTORABLE.test(key)) return false;
        pending.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return true;
}

/** Headers as the jsonb `headers` column takes them (storableText on every name and value). */
export function storableHeaders(headers: HeaderRecord): HeaderRecord {
  const stored: HeaderRecord = {};
  for (const [key, value] of Object.entries(headers)) {
    stored[storableText(key)] = Array.isArray(value) ? value.map((one) => storableText(one)) : storableText(value);
  }
  return stored;
}
