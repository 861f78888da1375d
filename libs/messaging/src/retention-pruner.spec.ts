import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { uuidV7Floor } from './retention-pruner.js';

describe('uuidV7Floor', () => {
  const ms = Date.UTC(2026, 11, 1, 12, 0, 0, 123);

  it('sorts at or below every v7 id of its millisecond and above every earlier one', () => {
    const floor = uuidV7Floor(ms);
    // PostgreSQL compares uuids byte by byte; for these lower-case hex strings, that is string order.
    for (let i = 0; i < 100; i++) {
      expect(uuidv7({ msecs: ms }) >= floor).toBe(true);
      expect(uuidv7({ msecs: ms - 1 }) < floor).toBe(true);
    }
  });

  it('is a well-formed version 7 uuid', () => {
    expect(uuidV7Floor(ms)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7000-8000-000000000000$/);
    expect(uuidV7Floor(0)).toBe('00000000-0000-7000-8000-000000000000');
  });
});
