import { describe, it, expect } from '@jest/globals';
import { traceIdOf } from './stream-replay.js';

describe('traceIdOf', () => {
  it('takes the trace id of a W3C traceparent, and nothing else', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeNull();
    expect(traceIdOf(undefined)).toBeNull();
    expect(traceIdOf('garbage')).toBeNull();
  });
});
