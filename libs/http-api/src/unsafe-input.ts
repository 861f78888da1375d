import { fieldName, type FieldError } from './field-error.js';

declare global {
  interface String {
    /** ES2024 (Node 20 has it); the project's TypeScript lib is ES2023. False when the string holds an unpaired surrogate. */
    isWellFormed(): boolean;
  }
}

/**
 * Keys that name an object's prototype machinery. JSON.parse makes them
 * ordinary own keys, but code that copies or merges the value can turn them
 * into prototype pollution, so no input may carry them, at any depth.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * How deep a value may nest. Every input the API takes is flat or one level of
 * lines deep; the limit is far above that and far below a stack overflow.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * The classes of input no field may hold, whatever its schema says: a NUL
 * byte (PostgreSQL refuses it in text), a lone UTF-16 surrogate (it has no
 * UTF-8 encoding), a prototype key, or nesting past MAX_INPUT_DEPTH. Checked
 * on every input before its schema, so a new field cannot forget it.
 * Returns the first offence, or undefined.
 */
export function findUnsafeInput(value: unknown, path: string): FieldError | undefined {
  return walk(value, path, 0);
}

function walk(value: unknown, path: string, depth: number): FieldError | undefined {
  if (typeof value === 'string') return unsafeText(value, path);
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_INPUT_DEPTH) {
    const field = fieldName(path || 'body');
    return { field, rule: 'depth', reason: `${field} is nested deeper than ${MAX_INPUT_DEPTH} levels` };
  }
  for (const key of Object.keys(value)) {
    const field = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return offence(field, 'unknown_field', 'is not a known field');
    const found = unsafeText(key, field) ?? walk((value as Record<string, unknown>)[key], field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function unsafeText(text: string, field: string): FieldError | undefined {
  if (text.includes('\u0000')) return offence(field, 'text', 'must not contain a NUL character');
  if (!text.isWellFormed()) return offence(field, 'text', 'must not contain an unpaired UTF-16 surrogate');
  return undefined;
}

function offence(path: string, rule: string, predicate: string): FieldError {
  const field = fieldName(path);
  return { field, rule, reason: `${field} ${predicate}` };
}
