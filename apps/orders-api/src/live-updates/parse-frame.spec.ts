import { describe, it, expect } from '@jest/globals';
import { parseFrame } from './parse-frame.js';

const ORDER = '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c';
const parse = (value: unknown) => parseFrame(typeof value === 'string' ? value : JSON.stringify(value), false);
const errorOf = (value: unknown) => {
  const parsed = parse(value);
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(value)}`);
  return parsed.error;
};

describe('parseFrame', () => {
  it('reads every message of the protocol', () => {
    expect(parse({ type: 'auth', apiKey: 'k' })).toEqual({ ok: true, message: { type: 'auth', apiKey: 'k' } });
    expect(parse({ type: 'ping', id: 'p1' })).toEqual({ ok: true, message: { type: 'ping', id: 'p1' } });
    expect(parse({ type: 'ping' })).toEqual({ ok: true, message: { type: 'ping' } });
    for (const command of [
      { type: 'command', id: 'c1', action: 'place-order', idempotencyKey: 'k-1', body: { anything: 'checked later' } },
      { type: 'command', id: 'c2', action: 'cancel-order', orderId: ORDER },
      { type: 'command', id: 'c3', action: 'cancel-order', orderId: ORDER, body: { reason: 'r' } },
      { type: 'command', id: 'c4', action: 'subscribe', orderId: ORDER, sinceVersion: 3 },
      { type: 'command', id: 'c5', action: 'subscribe', all: true },
      { type: 'command', id: 'c6', action: 'unsubscribe', orderId: ORDER },
      { type: 'command', id: 'c7', action: 'unsubscribe', all: true },
    ]) {
      expect(parse(command)).toEqual({ ok: true, message: command });
    }
  });

  it('answers a frame that is not a JSON object with 400', () => {
    expect(errorOf('{nope')).toEqual({ type: 'error', status: 400, error: 'Bad Request', message: 'The frame is not valid JSON' });
    expect(errorOf('[1]').message).toBe('The frame must be a JSON object');
    expect(errorOf('null').message).toBe('The frame must be a JSON object');
    expect(errorOf('"auth"').message).toBe('The frame must be a JSON object');
    const binary = parseFrame(Buffer.from('{}'), true);
    expect(binary.ok || binary.error.status).toBe(400);
  });

  it('names the field of an unknown type or action, and echoes a readable id', () => {
    expect(errorOf({ type: 'shout', id: 'x' })).toEqual({
      type: 'error',
      id: 'x',
      status: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      fields: [{ field: 'type', rule: 'enum', reason: 'type must be one of auth, command, ping' }],
    });
    expect(errorOf({ id: 'x' }).fields).toEqual([{ field: 'type', rule: 'enum', reason: 'type must be one of auth, command, ping' }]);
    expect(errorOf({ type: 'command', id: 'y', action: 'explode' }).fields).toEqual([
      { field: 'action', rule: 'enum', reason: 'action must be one of place-order, cancel-order, subscribe, unsubscribe' },
    ]);
  });

  it('checks the envelope of each command: its fields, unknown fields, one target', () => {
    const badId = errorOf({ type: 'command', id: 'c', action: 'cancel-order', orderId: 'nope' });
    expect(badId).toMatchObject({ id: 'c', action: 'cancel-order', status: 400 });
    expect(badId.fields).toEqual([{ field: 'orderId', rule: 'format', reason: 'orderId must be a UUID' }]);
    expect(errorOf({ type: 'command', action: 'subscribe', all: true }).fields).toEqual([{ field: 'id', rule: 'required', reason: 'id is required' }]);
    expect(errorOf({ type: 'command', id: 'c', action: 'subscribe', all: true, extra: 1 }).fields).toEqual([
      { field: 'extra', rule: 'unknown_field', reason: 'extra is not a known field' },
    ]);
    expect(errorOf({ type: 'command', id: 'c', action: 'subscribe' }).fields).toEqual([
      { field: 'orderId', rule: 'target', reason: 'orderId must be given, or "all": true instead (not both)' },
    ]);
    expect(errorOf({ type: 'command', id: 'c', action: 'subscribe', orderId: ORDER, sinceVersion: -1 }).fields).toEqual([
      { field: 'sinceVersion', rule: 'min', reason: 'sinceVersion must be at least 0' },
    ]);
    expect(errorOf({ type: 'command', id: 'c', action: 'place-order', idempotencyKey: 'has space', body: {} }).fields).toEqual([
      { field: 'idempotencyKey', rule: 'format', reason: 'idempotencyKey may contain only visible ASCII characters' },
    ]);
  });

  it('refuses the inputs no field may hold, before any schema', () => {
    expect(errorOf('{"type":"command","id":"c","action":"subscribe","all":true,"__proto__":{}}').fields).toEqual([
      { field: '__proto__', rule: 'unknown_field', reason: '__proto__ is not a known field' },
    ]);
  });
});
