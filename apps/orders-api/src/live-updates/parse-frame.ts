import { validateInput, validationFailure, type FieldError } from '#http-api';
import type { z } from 'zod';
import { commandAction, commandSchemas, frameType, authMessage, pingMessage, type ClientMessage, type ErrorMessage } from './protocol.js';

export type ParsedFrame = { ok: true; message: ClientMessage } | { ok: false; error: ErrorMessage };

/**
 * One client frame, decoded and checked: a message of the protocol, or the
 * 400 that says what is wrong with it (not JSON, not an object, an unknown
 * type or action, a bad field of the envelope). Never throws: a bad frame is
 * answered, and the connection stays open.
 */
export function parseFrame(data: Buffer | string, isBinary: boolean): ParsedFrame {
  if (isBinary) return badFrame(undefined, 'Frames must be JSON text, not binary');
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return badFrame(undefined, 'The frame is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return badFrame(undefined, 'The frame must be a JSON object');
  const id = readableId(value);

  const type = check(frameType, value, id);
  if (!type.ok) return type;
  switch (type.value.type) {
    case 'auth':
      return asMessage(check(authMessage, value, id));
    case 'ping':
      return asMessage(check(pingMessage, value, id));
    case 'command': {
      const action = check(commandAction, value, id);
      if (!action.ok) return action;
      const parsed = asMessage(check(commandSchemas[action.value.action], value, id));
      if (!parsed.ok) parsed.error.action = action.value.action;
      return parsed;
    }
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; error: ErrorMessage };

function check<S extends z.ZodType>(schema: S, value: unknown, id: string | undefined): Checked<z.output<S>> {
  const result = validateInput(schema, value, 'command', 'frame');
  return result.ok ? result : invalidFields(id, result.errors);
}

function asMessage(checked: Checked<unknown>): ParsedFrame {
  return checked.ok ? { ok: true, message: checked.value as ClientMessage } : checked;
}

/** The frame's id when it is one (a string of sane length), so that even a refused command can be matched to its answer. */
function readableId(value: object): string | undefined {
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
}

function badFrame(id: string | undefined, message: string): ParsedFrame {
  return { ok: false, error: { type: 'error', ...(id ? { id } : {}), status: 400, error: 'Bad Request', message } };
}

/** The 400 of REST's validation (validationFailure), as an error frame. */
export function invalidFields(id: string | undefined, errors: FieldError[]): { ok: false; error: ErrorMessage } {
  const failure = validationFailure(errors);
  return {
    ok: false,
    error: { type: 'error', ...(id ? { id } : {}), status: failure.statusCode, error: failure.error, message: failure.message, fields: failure.errors },
  };
}
