import { z } from 'zod';
import { MAX_API_KEY_LENGTH, fields, type FieldError } from '#http-api';
import { idempotencyKey, orderId } from '../orders/http/order-requests.js';

/**
 * The live-updates protocol (docs/websocket.md): JSON text frames, each an
 * object with a `type`. The client authenticates, sends commands and pings;
 * the server answers each command with a reply or an error naming its `id`,
 * and pushes an event for every change of a subscribed order.
 *
 * These schemas check the frame's envelope only; the body of a command is
 * checked by the REST route's own schema (order-requests.ts), so both answer
 * the same bad input with the same fields and reasons.
 */

export const LIVE_UPDATES_PATH = '/ws';

/** Close codes of the protocol (4000-4999 are the application's own). */
export const CloseCode = {
  /** No valid API key: a bad one, or none within WS_AUTH_TIMEOUT_MS. */
  UNAUTHORIZED: 4401,
  /** The client reads too slowly: its unsent data passed WS_MAX_BUFFERED_BYTES. */
  TOO_SLOW: 4008,
  /** The server is shutting down: reconnect (to another replica) and resume with sinceVersion. */
  GOING_AWAY: 1001,
} as const;

export const MESSAGE_TYPES = ['auth', 'command', 'ping'] as const;
export const ACTIONS = ['place-order', 'cancel-order', 'subscribe', 'unsubscribe'] as const;
export type Action = (typeof ACTIONS)[number];

/** A client's own id for a command or a ping, echoed in the answer. */
const messageId = fields.text({ max: 128, example: 'c-1', description: 'The client’s id for this message, echoed in the answer' });

/** Only `type` is read first: the schema of the rest depends on it. */
export const frameType = z.object({ type: fields.oneOf(MESSAGE_TYPES) });
export const commandAction = z.object({ action: fields.oneOf(ACTIONS) });

export const authMessage = z.strictObject({
  type: z.literal('auth'),
  apiKey: z.string().min(1).max(MAX_API_KEY_LENGTH),
});

export const pingMessage = z.strictObject({ type: z.literal('ping'), id: messageId.optional() });

const command = <A extends Action, S extends z.ZodRawShape>(action: A, shape: S) =>
  z.strictObject({ type: z.literal('command'), id: messageId, action: z.literal(action), ...shape });

/** Exactly one of `orderId` and `"all": true`. */
function oneTarget(value: { orderId?: string; all?: true }, context: z.RefinementCtx): void {
  if ((value.orderId === undefined) === (value.all === undefined)) {
    context.addIssue({ code: 'custom', path: ['orderId'], message: 'must be given, or "all": true instead (not both)', params: { rule: 'target' } });
  }
}

export const commandSchemas = {
  'place-order': command('place-order', { idempotencyKey, body: z.unknown() }),
  'cancel-order': command('cancel-order', { orderId, body: z.unknown().optional() }),
  subscribe: command('subscribe', {
    orderId: orderId.optional(),
    sinceVersion: fields.integer({ min: 0, max: 2_147_483_647, description: 'The newest version the client has seen' }).optional(),
    all: z.literal(true).optional(),
  })
    .superRefine(oneTarget)
    .refine((value) => value.all === undefined || value.sinceVersion === undefined, {
      path: ['sinceVersion'],
      message: 'applies to one order, not to "all"',
      params: { rule: 'target' },
    }),
  unsubscribe: command('unsubscribe', { orderId: orderId.optional(), all: z.literal(true).optional() }).superRefine(oneTarget),
} satisfies Record<Action, z.ZodType>;

export type AuthMessage = z.output<typeof authMessage>;
export type PingMessage = z.output<typeof pingMessage>;
export type Command = { [A in Action]: z.output<(typeof commandSchemas)[A]> }[Action];
export type CommandOf<A extends Action> = Extract<Command, { action: A }>;
export type ClientMessage = AuthMessage | PingMessage | Command;

/** What the server sends. */
export interface AuthOk {
  type: 'auth';
  ok: true;
  /** Who the key belongs to (its name, never the key). */
  client: string;
  scopes: string[];
}

export interface Reply {
  type: 'reply';
  id: string;
  action: Action;
  /** The status REST gives for the same request. */
  status: number;
  body: unknown;
}

export interface ErrorMessage {
  type: 'error';
  /** The command's or ping's id, when the frame had a readable one. */
  id?: string;
  action?: Action;
  status: number;
  error: string;
  message: string;
  /** One entry per bad field, as REST's `errors`. */
  fields?: FieldError[];
  /** For a 429 or 503: when to try again (REST's Retry-After, in ms). */
  retryAfterMs?: number;
  /** For an admission refusal (503): which bound was passed, as in REST's body. */
  reason?: string;
}

export interface Pong {
  type: 'pong';
  id?: string;
}

export type ServerMessage = AuthOk | Reply | ErrorMessage | Pong;

/** The framing of an order-updated event around the order's view, which is the bucket's value as it is (never re-encoded). */
export const ORDER_UPDATED_PREFIX = '{"type":"event","action":"order-updated","order":';
export const ORDER_UPDATED_SUFFIX = '}';
