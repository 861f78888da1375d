import { z } from 'zod';

/**
 * Field schemas for request inputs, each with the limits the server enforces
 * and an example, so the OpenAPI document shows what the server checks.
 * Objects are strict everywhere: an unknown key is an error, not ignored.
 */

/** Free text of bounded length (NUL and unpaired surrogates are refused for every input; see unsafe-input.ts). */
export function text(options: { min?: number; max: number; example?: string; description?: string }) {
  return z
    .string()
    .min(options.min ?? 1)
    .max(options.max)
    .meta(definedOnly({ example: options.example, description: options.description }));
}

/** A code from a fixed alphabet, e.g. a SKU: the pattern's rule is said in words. */
export function code(options: { max: number; pattern: RegExp; rule: string; example?: string; description?: string }) {
  return z
    .string()
    .min(1)
    .max(options.max)
    .regex(options.pattern, { error: options.rule })
    .meta(definedOnly({ example: options.example, description: options.description }));
}

/** A stock keeping unit, as the order lines and the catalog name it. */
export function sku(options: { description?: string } = {}) {
  return code({
    max: 64,
    pattern: /^[A-Za-z0-9_-]+$/,
    rule: 'may contain only letters, digits, - and _',
    example: 'COFFEE-BEANS-1KG',
    description: options.description ?? 'Stock keeping unit: letters, digits, - and _',
  });
}

/**
 * An e-mail address in the shape the HTML standard gives `<input type="email">`,
 * so a browser form and the server agree on what is one (whether it receives
 * mail is the mail server's to say). At most 254 characters, the longest a
 * mail path carries.
 */
export function email(options: { example?: string; description?: string } = {}) {
  return z
    .email({ pattern: z.regexes.html5Email, error: (issue) => (issue.code === 'invalid_format' ? 'must be an e-mail address (name@example.com)' : undefined) })
    .max(254)
    .meta(definedOnly({ example: options.example, description: options.description }));
}

/** A whole number in a range; a string or a fraction is a type error, before the range is looked at. */
export function integer(options: { min: number; max: number; example?: number; description?: string }) {
  return z
    .int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be an integer' : undefined) })
    .min(options.min)
    .max(options.max)
    .meta(definedOnly({ example: options.example, description: options.description }));
}

/**
 * An integer in a query string. Query values are text, so the digits are
 * checked as text first ("must be an integer"), then the number's range; the
 * document shows the integer.
 */
export function queryInteger(options: { min: number; max: number; default?: number; description?: string }) {
  return z
    .string()
    .regex(/^-?\d{1,15}$/, { error: 'must be an integer' })
    .transform(Number)
    .pipe(integer(options))
    .meta(definedOnly({ description: options.description, default: options.default }));
}

export function uuid(options: { example?: string; description?: string } = {}) {
  return z.uuid({ error: (issue) => (issue.code === 'invalid_format' ? 'must be a UUID' : undefined) }).meta(definedOnly(options));
}

/** One of a fixed set of values, listed in the error and in the document. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, options: { example?: T[number]; description?: string } = {}) {
  return z.enum(values).meta(definedOnly(options));
}

/** An ISO 8601 date-time with an offset or Z. */
export function dateTime(options: { example?: string; description?: string } = {}) {
  return z.iso.datetime({ offset: true }).meta(definedOnly(options));
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
