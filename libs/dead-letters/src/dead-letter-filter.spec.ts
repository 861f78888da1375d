import { describe, it, expect } from '@jest/globals';
import { whereOf } from './dead-letter-filter.js';

describe('whereOf', () => {
  it('narrows by every field given and leaves the others open', () => {
    const from = new Date('2026-11-22T00:00:00Z');
    expect(whereOf({ consumer: 'c', subject: 's', reason: 'invalid', status: 'PENDING', from })).toEqual({
      consumer: 'c',
      originalSubject: 's',
      reason: 'invalid',
      status: 'PENDING',
      createdAt: { gte: from, lt: undefined },
    });
    expect(whereOf({})).toEqual({
      consumer: undefined,
      originalSubject: undefined,
      reason: undefined,
      status: undefined,
      createdAt: undefined,
    });
  });
});
