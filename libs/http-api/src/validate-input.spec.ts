import { describe, it, expect } from '@jest/globals';
import { z } from 'zod';
import { code, integer, queryInteger, text, uuid } from './fields.js';
import { validateInput } from './validate-input.js';

const line = z.strictObject({
  sku: code({ max: 8, pattern: /^[A-Z]+$/, rule: 'may contain only capitals' }),
  quantity: integer({ min: 1, max: 10 }),
});
const body = z.strictObject({ name: text({ max: 5 }), lines: z.array(line).min(1).max(2) });

const errorsOf = (schema: z.ZodType, value: unknown, location: Parameters<typeof validateInput>[2] = 'body') => {
  const result = validateInput(schema, value, location, location === 'body' ? 'body' : 'value');
  return result.ok ? [] : result.errors;
};

describe('validateInput', () => {
  it('passes a valid value through, transformed', () => {
    expect(validateInput(body, { name: 'ab', lines: [{ sku: 'A', quantity: 2 }] }, 'body', 'body')).toEqual({
      ok: true,
      value: { name: 'ab', lines: [{ sku: 'A', quantity: 2 }] },
    });
    expect(validateInput(z.strictObject({ limit: queryInteger({ min: 1, max: 9 }) }), { limit: '7' }, 'query', 'query')).toEqual({ ok: true, value: { limit: 7 } });
  });

  it('reports a wrong type as a type error, never the range behind it', () => {
    expect(errorsOf(body, { name: 5, lines: [{ sku: 'A', quantity: '2' }] })).toEqual([
      { field: 'name', rule: 'type', reason: 'name must be a string' },
      { field: 'lines.0.quantity', rule: 'type', reason: 'lines.0.quantity must be an integer' },
    ]);
    expect(errorsOf(body, { name: 'a', lines: {} })).toEqual([{ field: 'lines', rule: 'type', reason: 'lines must be an array' }]);
    expect(errorsOf(body, [])).toEqual([{ field: 'body', rule: 'type', reason: 'body must be an object' }]);
  });

  it('reports a missing field as required, one error per field', () => {
    expect(errorsOf(body, {})).toEqual([
      { field: 'name', rule: 'required', reason: 'name is required' },
      { field: 'lines', rule: 'required', reason: 'lines is required' },
    ]);
    expect(errorsOf(body, { name: '', lines: [{ sku: 'a1', quantity: 1 }] })).toEqual([
      { field: 'name', rule: 'min', reason: 'name must be at least 1 characters long' },
      { field: 'lines.0.sku', rule: 'format', reason: 'lines.0.sku may contain only capitals' },
    ]);
  });

  it('names ranges in the words of their kind', () => {
    expect(errorsOf(body, { name: 'toolong', lines: [{ sku: 'A', quantity: 1 }, { sku: 'A', quantity: 1 }, { sku: 'A', quantity: 1 }] })).toEqual([
      { field: 'name', rule: 'max', reason: 'name must be at most 5 characters long' },
      { field: 'lines', rule: 'max', reason: 'lines must have at most 2 items' },
    ]);
    expect(errorsOf(body, { name: 'a', lines: [{ sku: 'A', quantity: 11 }] })).toEqual([
      { field: 'lines.0.quantity', rule: 'max', reason: 'lines.0.quantity must be at most 10' },
    ]);
  });

  it('refuses unknown keys, prototype keys first, at any depth', () => {
    expect(errorsOf(body, { name: 'a', lines: [{ sku: 'A', quantity: 1 }], colour: 'red' })).toEqual([
      { field: 'colour', rule: 'unknown_field', reason: 'colour is not a known field' },
    ]);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const value = JSON.parse(`{"name":"a","lines":[{"sku":"A","quantity":1,"${key}":{"x":1}}]}`);
      expect(errorsOf(body, value)).toEqual([{ field: `lines.0.${key}`, rule: 'unknown_field', reason: `lines.0.${key} is not a known field` }]);
    }
  });

  it('refuses NUL characters and unpaired surrogates in any string or key, whatever the schema', () => {
    const anything = z.unknown();
    expect(errorsOf(anything, { deep: [{ note: 'a\u0000' }] })).toEqual([{ field: 'deep.0.note', rule: 'text', reason: 'deep.0.note must not contain a NUL character' }]);
    expect(errorsOf(anything, { 'k\ud800': 1 })).toEqual([{ field: 'k\ud800', rule: 'text', reason: 'k\ud800 must not contain an unpaired UTF-16 surrogate' }]);
    expect(errorsOf(anything, { ok: '\u{1F600} \ud83d\ude00' })).toEqual([]);
    expect(errorsOf(uuid(), 'x\u0000', 'header')).toEqual([{ field: 'value', rule: 'text', reason: 'value must not contain a NUL character' }]);
  });

  it('bounds the depth of a value it walks', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(errorsOf(z.unknown(), deep)[0]).toMatchObject({ rule: 'depth' });
  });

  it('tells a repeated query parameter from a wrong type', () => {
    const query = z.strictObject({ limit: queryInteger({ min: 1, max: 9 }).optional(), name: text({ max: 9 }).optional() });
    expect(errorsOf(query, { limit: ['1', '2'] }, 'query')).toEqual([{ field: 'limit', rule: 'single', reason: 'limit must be given once' }]);
    expect(errorsOf(query, { limit: '1.5' }, 'query')).toEqual([{ field: 'limit', rule: 'format', reason: 'limit must be an integer' }]);
    expect(errorsOf(query, { limit: '10' }, 'query')).toEqual([{ field: 'limit', rule: 'max', reason: 'limit must be at most 9' }]);
  });
});

describe('validateInput on huge names', () => {
  it('does not echo more than the first 100 characters of a field name', () => {
    const key = 'k'.repeat(10_000);
    const [error] = errorsOf(z.strictObject({}), { [key]: 1 });
    expect(error).toEqual({ field: `${'k'.repeat(100)}…`, rule: 'unknown_field', reason: `${'k'.repeat(100)}… is not a known field` });
  });
});
