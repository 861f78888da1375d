import { describe, it, expect } from '@jest/globals';
import { ApiKeyRegistry, apiKeysEnv } from './api-keys.js';

const key = (c: string) => c.repeat(40);

describe('API keys', () => {
  it('parses API_KEYS and identifies a client by its key', () => {
    const entries = apiKeysEnv.parse(JSON.stringify([{ name: 'shop', key: key('a'), scopes: ['orders:read', 'orders:place'] }]));
    const registry = new ApiKeyRegistry(entries);
    expect(registry.identify(key('a'))).toEqual({ name: 'shop', scopes: new Set(['orders:read', 'orders:place']) });
    expect(registry.identify(key('b'))).toBeUndefined();
    expect(registry.identify(key('a') + 'x'.repeat(300))).toBeUndefined();
  });

  it('refuses a missing, malformed, short, duplicated or unknown-scope configuration', () => {
    const refused = (value: unknown) => apiKeysEnv.safeParse(value).success;
    expect(refused(undefined)).toBe(false);
    expect(refused('not json')).toBe(false);
    expect(refused('[]')).toBe(false);
    expect(refused(JSON.stringify([{ name: 'shop', key: 'short', scopes: ['orders:read'] }]))).toBe(false);
    expect(refused(JSON.stringify([{ name: 'shop', key: key('a'), scopes: ['everything'] }]))).toBe(false);
    expect(refused(JSON.stringify([{ name: 'a', key: key('a'), scopes: ['operator'] }, { name: 'b', key: key('a'), scopes: ['operator'] }]))).toBe(false);
    expect(refused(JSON.stringify([{ name: 'a', key: key('a'), scopes: ['operator'] }, { name: 'a', key: key('b'), scopes: ['operator'] }]))).toBe(false);
  });
});
