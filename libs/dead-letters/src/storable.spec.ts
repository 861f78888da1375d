import { describe, it, expect } from '@jest/globals';
import { DeadLetterLimits } from './constants.js';
import { isStorableJson, storableHeaders, storableText } from './storable.js';

describe('storableText', () => {
  it('keeps ordinary text, surrogate pairs included', () => {
    expect(storableText('order ☕ 🍕 ok')).toBe('order ☕ 🍕 ok');
  });

  it('replaces NUL and lone surrogates, which PostgreSQL or Prisma refuse, with U+FFFD', () => {
    expect(storableText('a\u0000b\ud800c\udfffd\ud83d')).toBe('a\ufffdb\ufffdc\ufffdd\ufffd');
  });

  it('cuts what is longer than asked, saying how much is left out, without leaving half a surrogate pair', () => {
    expect(storableText('abcdef', 3)).toBe('abc… (3 more characters)');
    expect(storableText('ab🍕', 3)).toBe('ab\ufffd… (1 more characters)');
  });
});

describe('isStorableJson', () => {
  it('accepts what jsonb and Prisma take', () => {
    expect(isStorableJson({ a: [1, 'x', null, { b: '🍕' }] })).toBe(true);
    expect(isStorableJson('text')).toBe(true);
  });

  it('refuses NUL or a lone surrogate in a string or a key', () => {
    expect(isStorableJson({ a: 'x\u0000' })).toBe(false);
    expect(isStorableJson({ a: ['\ud800'] })).toBe(false);
    expect(isStorableJson({ ['k\udc00']: 1 })).toBe(false);
  });

  it('refuses nesting past the limit, however deep, without overflowing the stack', () => {
    const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(isStorableJson(nested(DeadLetterLimits.jsonDepth))).toBe(true);
    expect(isStorableJson(nested(DeadLetterLimits.jsonDepth + 1))).toBe(false);
    expect(isStorableJson(nested(200_000))).toBe(false);
  });
});

describe('storableHeaders', () => {
  it('makes every name and value storable, repeated values kept', () => {
    expect(storableHeaders({ 'X-A': 'v\u0000', 'X-B': ['1', '\ud800'] })).toEqual({ 'X-A': 'v\ufffd', 'X-B': ['1', '\ufffd'] });
  });
});
