import { describe, it, expect, afterEach } from '@jest/globals';
import { isLogged, logEvent, setOperatorEventLevel } from './operator-events.js';

describe('operator events', () => {
  afterEach(() => setOperatorEventLevel('info'));

  it('writes the event name and its fields through the level the event has', () => {
    const calls: Array<[string, unknown]> = [];
    const logger = {
      debug: (o: unknown) => calls.push(['debug', o]),
      log: (o: unknown) => calls.push(['log', o]),
      warn: (o: unknown) => calls.push(['warn', o]),
      error: (o: unknown) => calls.push(['error', o]),
    };
    logEvent(logger, 'STATE_CHANGE', { orderId: 'o-1', from: 'PAID', to: 'SHIPPED' }, 'order o-1 PAID -> SHIPPED');
    logEvent(logger, 'DLQ_EVENT', { reason: 'MAX_DELIVERIES' }, 'dead letter');
    expect(calls).toEqual([
      ['log', { event: 'STATE_CHANGE', orderId: 'o-1', from: 'PAID', to: 'SHIPPED', msg: 'order o-1 PAID -> SHIPPED' }],
      ['error', { event: 'DLQ_EVENT', reason: 'MAX_DELIVERIES', msg: 'dead letter' }],
    ]);
  });

  it('tells the hot path whether an event would be written at the configured level', () => {
    expect(isLogged('EVENT_RECEIVED')).toBe(false);
    expect(isLogged('RETRY_SCHEDULED')).toBe(true);
    setOperatorEventLevel('debug');
    expect(isLogged('EVENT_RECEIVED')).toBe(true);
    setOperatorEventLevel('error');
    expect(isLogged('STATE_CHANGE')).toBe(false);
    expect(isLogged('PROCESSING_ERROR')).toBe(true);
  });
});
