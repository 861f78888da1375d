import { describe, it, expect } from '@jest/globals';
import { nestingDepth } from './json-body.js';

const depth = (text: string) => nestingDepth(Buffer.from(text));

describe('nestingDepth', () => {
  it('counts objects and arrays', () => {
    expect(depth('1')).toBe(0);
    expect(depth('{}')).toBe(1);
    expect(depth('{"a":[{"b":[]}],"c":{}}')).toBe(4);
    expect(depth('['.repeat(10_000) + ']'.repeat(10_000))).toBe(10_000);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(depth('{"a":"[[[{{{"}')).toBe(1);
    expect(depth('{"a":"say \\"[[[\\" twice","b":"\\\\"}')).toBe(1);
    expect(depth('["\\\\",[1]]')).toBe(2);
  });
});
