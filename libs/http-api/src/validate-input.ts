import type { z } from 'zod';
import { reasonMap, toFieldErrors } from './describe-issues.js';
import type { FieldError } from './field-error.js';
import type { InputLocation } from './input-location.js';
import { findUnsafeInput } from './unsafe-input.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * The one validation path of the API: every body, query, path parameter and
 * header (and the WebSocket commands) goes through here. First the checks no
 * schema may forget (NUL, unpaired surrogates, prototype keys, depth), then
 * the schema, whose errors name the field and the rule it broke.
 *
 * `root` names the value itself in errors about it as a whole: `body`, or the
 * parameter's or header's name.
 */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation, root: string): Validated<z.output<S>> {
  const unsafe = findUnsafeInput(value, location === 'body' || location === 'command' || location === 'query' ? '' : root);
  if (unsafe) return { ok: false, errors: [unsafe] };
  const parsed = schema.safeParse(value, { error: reasonMap(location), reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: toFieldErrors(parsed.error.issues, location, root) };
}
