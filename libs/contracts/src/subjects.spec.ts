import { describe, it, expect } from '@jest/globals';
import { subjectMatches } from './subjects.js';

describe('subjectMatches', () => {
  it('matches as NATS does: * one token, > one or more at the end', () => {
    expect(subjectMatches('orders.created', 'orders.created')).toBe(true);
    expect(subjectMatches('orders.*', 'orders.created')).toBe(true);
    expect(subjectMatches('orders.*', 'orders.created.v2')).toBe(false);
    expect(subjectMatches('orders.>', 'orders.created.v2')).toBe(true);
    expect(subjectMatches('orders.>', 'orders')).toBe(false);
    expect(subjectMatches('orders.created', 'orders')).toBe(false);
    expect(subjectMatches('orders', 'orders.created')).toBe(false);
    expect(subjectMatches('>', 'anything')).toBe(true);
  });
});
