import { describe, it, expect } from '@jest/globals';
import { compareMirrors, mirrorEntryOf, repairOf, type MirrorEntry } from './mirror-entries.js';

const entry = (state: string, version: number): MirrorEntry => ({ state, version });
const jsonOf = (text: string) => ({ json: <T>() => JSON.parse(text) as T });

describe('mirrorEntryOf', () => {
  it("takes the order view's state and version, and reads anything else as older than any version", () => {
    expect(mirrorEntryOf(jsonOf('{"id":"x","state":"PAID","version":4,"lines":[]}'))).toEqual(entry('PAID', 4));
    expect(mirrorEntryOf(jsonOf('{"state":7}'))).toEqual({ state: null, version: -1 });
    expect(mirrorEntryOf(jsonOf('not json'))).toEqual({ state: null, version: -1 });
  });
});

describe('compareMirrors', () => {
  it('names the keys missing or different on the other side, on state and version', () => {
    const rebuilt = new Map([['a', entry('SHIPPED', 6)], ['b', entry('FAILED', 4)], ['c', entry('PAID', 4)]]);
    const live = new Map([['a', entry('SHIPPED', 6)], ['b', entry('PAYMENT_PENDING', 3)], ['d', entry('CREATED', 1)]]);
    expect(compareMirrors(rebuilt, live)).toEqual({ onlyRebuilt: ['b', 'c'], onlyLive: ['b', 'd'] });
    expect(compareMirrors(rebuilt, new Map(rebuilt))).toEqual({ onlyRebuilt: [], onlyLive: [] });
  });
});

describe('repairOf: what --replace does to a live key', () => {
  it('puts the rebuilt entry where the live one is missing, older, or of the same version in another state', () => {
    expect(repairOf(entry('PAID', 4), undefined)).toBe('put');
    expect(repairOf(entry('PAID', 4), entry('RESERVED', 2))).toBe('put');
    expect(repairOf(entry('PAID', 4), entry('FAILED', 4))).toBe('put');
    expect(repairOf(entry('PAID', 4), { state: null, version: -1 })).toBe('put');
  });

  it('never writes an older version over a newer one, nor an equal entry again', () => {
    expect(repairOf(entry('PAID', 4), entry('SHIPMENT_PREPARED', 5))).toBe('keep');
    expect(repairOf(entry('PAID', 4), entry('PAID', 4))).toBe('keep');
  });

  it('deletes a live key the rebuild has no order for', () => {
    expect(repairOf(undefined, entry('CREATED', 1))).toBe('delete');
    expect(repairOf(undefined, undefined)).toBe('keep');
  });
});
